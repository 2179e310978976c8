#!/usr/bin/env node
/**
 * aks-ip: the planner in a pipeline. `calc`, `export`, `map` and `import` work offline on files;
 * `dump` and `restore` work on the database the service is configured with;
 * `lookup` asks a server (--server / AKS_IP_SERVER, --token / AKS_IP_TOKEN). Errors are one line
 * on standard error; the exit status says which kind (EXIT in cli/cli-error.ts).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { capacityTable } from './cli/capacity-table.js';
import { CliError, EXIT } from './cli/cli-error.js';
import { addDatabaseCommands } from './cli/database-commands.js';
import { readDocument } from './cli/input.js';
import { lookupAddresses, lookupCsv } from './cli/lookup-client.js';
import { recordCluster } from './cli/record-client.js';
import { newProgram, runCli } from './cli/run.js';
import type { Verdict } from './domain/capacity/verdict.js';
import type { PlanInput } from './domain/design/spec.js';
import { DomainError } from './domain/errors.js';
import { EXPORT_FORMATS, type ExportFormat, exportDesign } from './domain/exports/index.js';
import { planFromAz } from './domain/imports/az-cluster.js';
import { svgMap } from './domain/map/svg-map.js';
import { type PlannedDesign, planDesign } from './domain/plan/planner.js';
import { findSpaceRefs } from './domain/space/space-refs.js';
import { oneLineText } from './domain/visible-text.js';
import { CSV_COLUMNS } from './http/csv-columns.js';
import { presentCalculation } from './http/presenters/design.js';
import { MAX_BATCH_LOOKUP } from './http/schemas/lookup.js';
import { CalculationInputSchema } from './http/schemas/plan-input.js';
import { LOOKUP_LIMITS } from './service/lookup-service.js';

const SEVERITY: Record<Verdict, number> = { ok: 0, 'at-risk': 1, exhausted: 2 };

/** A design file planned; an invalid one is exit status 2 with every problem listed. */
function planned(file: string): PlannedDesign {
  return plannedDesign(readDocument(file), file);
}

/** A design (`subject` says whose) planned; an invalid one is exit status 2 with every problem listed. */
function plannedDesign(document: unknown, subject: string): PlannedDesign {
  const parsed = CalculationInputSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new CliError(
      `${subject} is not a valid design:\n${problemLines(problems, '(design)')}`,
      EXIT.input,
    );
  }
  if (findSpaceRefs(parsed.data).length > 0)
    throw new CliError(
      `${subject} takes ranges from address spaces ({ fromSpace }): those are allocated by a server; give the CIDRs, or POST it to /v1/calculations`,
      EXIT.input,
    );
  try {
    return planDesign({ ...parsed.data, name: parsed.data.name ?? 'calculation' } as PlanInput);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new CliError(
      `${subject} is not a valid design:\n${problemLines(problemsOf(error), '(design)')}`,
      EXIT.input,
    );
  }
}

interface Problem {
  readonly path: string;
  readonly message: string;
}

function problemsOf(error: DomainError): readonly Problem[] {
  return error.problems.length > 0 ? error.problems : [{ path: '', message: error.message }];
}

/**
 * One line a problem: the values a design or an az JSON quotes in its messages are written so
 * that none starts a line of its own or acts on the terminal (escape sequences, bidi controls).
 */
function problemLine(problem: Problem, whole: string): string {
  return `${oneLineText(problem.path || whole)}: ${oneLineText(problem.message)}`;
}

function problemLines(problems: readonly Problem[], whole: string): string {
  return problems.map((p) => `  ${problemLine(p, whole)}`).join('\n');
}

/** A whole number of at least 1, as an option's value. */
function wholeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || !/^\d+$/.test(text))
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

/** --limit-per-ip: what the server takes, so that a value it would refuse is the command's input. */
function limitPerIp(text: string): number {
  const n = wholeNumber(text);
  if (n > LOOKUP_LIMITS.maxPerIp)
    throw new InvalidArgumentError(`expected at most ${LOOKUP_LIMITS.maxPerIp}`);
  return n;
}

/** Addresses the server would refuse as too many (with --limit-per-ip) are the command's input. */
function assertLookupSize(addresses: number, limitPerIp: number = LOOKUP_LIMITS.defaultPerIp): void {
  if (addresses > MAX_BATCH_LOOKUP)
    throw new CliError(`at most ${MAX_BATCH_LOOKUP} addresses at once: use --file for more`, EXIT.input);
  if (addresses * limitPerIp > LOOKUP_LIMITS.maxMatches)
    throw new CliError(
      `${addresses} addresses x --limit-per-ip ${limitPerIp} could answer more than ${LOOKUP_LIMITS.maxMatches} matches: give fewer addresses or a lower --limit-per-ip`,
      EXIT.input,
    );
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function program(): Command {
  const cli = newProgram(
    'aks-ip',
    'Plan AKS address space from the command line: capacity gates, exports, imports, lookups',
  );

  cli
    .command('calc')
    .description('plan a design file (JSON or YAML, - for stdin) offline and print its capacity')
    .argument('<design>', 'the design file')
    .addOption(new Option('--output <format>', 'table or json').choices(['table', 'json']).default('table'))
    .addOption(
      new Option('--fail-on <verdict>', 'exit 1 when the verdict reaches this')
        .choices(['at-risk', 'exhausted'])
        .default('exhausted'),
    )
    .action((file: string, options: { output: 'table' | 'json'; failOn: 'at-risk' | 'exhausted' }) => {
      const design = planned(file);
      // On standard error, as an import's: standard output stays the table or the JSON.
      for (const w of design.warnings)
        process.stderr.write(`warning: ${problemLine({ path: w.code, message: w.message }, '')}\n`);
      write(
        options.output === 'json'
          ? JSON.stringify(presentCalculation(design), (_, v) => (typeof v === 'bigint' ? String(v) : v), 2)
          : capacityTable(design, process.stdout.isTTY === true && !process.env.NO_COLOR),
      );
      const { verdict } = design.model.headroom();
      if (SEVERITY[verdict] >= SEVERITY[options.failOn]) process.exitCode = EXIT.gate;
    });

  cli
    .command('export')
    .description('write a design as Terraform (azurerm 4.x), an az CLI script or Bicep')
    .argument('<design>', 'the design file')
    .addOption(
      new Option('--format <format>', 'what to write').choices([...EXPORT_FORMATS]).makeOptionMandatory(),
    )
    .action((file: string, options: { format: ExportFormat }) => {
      write(exportDesign(planned(file), options.format, file).text);
    });

  cli
    .command('map')
    .description('draw a design as an SVG picture of its address space')
    .argument('<design>', 'the design file')
    .action((file: string) => {
      write(svgMap(planned(file)));
    });

  cli
    .command('import')
    .description('print the design of a running cluster from az JSON files')
    .requiredOption('--cluster <file>', 'az aks show -o json')
    .option('--subnets <file>', 'az network vnet subnet show -o json of its subnets (a list, or one)')
    .option('--vnet <file>', 'az network vnet show -o json')
    .option('--name <name>', "the plan's name (the cluster's by default)")
    .action((options: { cluster: string; subnets?: string; vnet?: string; name?: string }) => {
      const subnets = options.subnets === undefined ? [] : readDocument(options.subnets);
      try {
        const { design, warnings } = planFromAz({
          name: options.name,
          cluster: readDocument(options.cluster),
          subnets: Array.isArray(subnets) ? subnets : [subnets],
          ...(options.vnet === undefined ? {} : { vnet: readDocument(options.vnet) }),
        });
        for (const w of warnings) process.stderr.write(`warning: ${problemLine(w, '(cluster)')}\n`);
        // Printed only if it plans: a pipeline would otherwise commit a design calc then refuses.
        plannedDesign(design, 'the design read from the cluster');
        write(JSON.stringify(design, null, 2));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        throw new CliError(
          `the cluster cannot be imported:\n${problemLines(problemsOf(error), '(cluster)')}`,
          EXIT.input,
        );
      }
    });

  addDatabaseCommands(cli);

  cli
    .command('lookup')
    .description('ask a server which plan, pool and node own addresses, or annotate a CSV file')
    .argument('[ips...]', 'addresses to look up')
    .option('--file <file>', 'a CSV file (flow or firewall log) to annotate, - for stdin')
    .addOption(
      new Option(
        '--column <name>',
        `the CSV column holding the address, in any case, as the server reads it: ${CSV_COLUMNS.join(', ')} (the first of these found by default)`,
      ).argParser(csvColumn),
    )
    .addOption(
      new Option('--server <url>', 'the planner, e.g. https://ipam.example.com').env('AKS_IP_SERVER'),
    )
    .addOption(new Option('--token <token>', 'an API token with read scope').env('AKS_IP_TOKEN'))
    .addOption(
      new Option(
        '--limit-per-ip <n>',
        'matches shown per address (the server answers 20 by default, 1,000 at most)',
      ).argParser(limitPerIp),
    )
    .action(
      async (
        ips: string[],
        options: { file?: string; column?: string; server?: string; token?: string; limitPerIp?: number },
      ) => {
        const server = { server: options.server, token: options.token };
        if (options.file !== undefined) {
          if (ips.length > 0)
            throw new CliError('give addresses or --file with a CSV file, not both', EXIT.input);
          await lookupCsv(options.file, options.column, server, process.stdout);
          return;
        }
        if (ips.length === 0) throw new CliError('give addresses, or --file with a CSV file', EXIT.input);
        assertLookupSize(ips.length, options.limitPerIp);
        write(await lookupAddresses(ips, server, options.limitPerIp));
      },
    );
  cli
    .command('record')
    .description(
      "record a cluster's nodes and pods in its plan, observed now: from kubectl, or from files of its JSON",
    )
    .requiredOption('--plan <name>', 'the plan (id or name) of the cluster')
    .option('--nodes <file>', 'the output of kubectl get nodes -o json (kubectl is asked otherwise)')
    .option('--pods <file>', 'the output of kubectl get pods -A -o json (kubectl is asked otherwise)')
    .option('--kubectl <path>', 'the kubectl to run', 'kubectl')
    .addOption(
      new Option('--server <url>', 'the planner, e.g. https://ipam.example.com').env('AKS_IP_SERVER'),
    )
    .addOption(new Option('--token <token>', 'an API token with write scope').env('AKS_IP_TOKEN'))
    .action(
      async (options: {
        plan: string;
        nodes?: string;
        pods?: string;
        kubectl?: string;
        server?: string;
        token?: string;
      }) => {
        const { server, token, nodes, pods, kubectl } = options;
        write(await recordCluster(options.plan, { server, token, nodes, pods, kubectl }));
      },
    );
  return cli;
}

runCli(program(), process.argv);

/** A CSV address column named in any case (SRCIP), as the server matches the header's. */
function csvColumn(name: string): string {
  const column = CSV_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase());
  if (column === undefined) throw new InvalidArgumentError(`Allowed choices are ${CSV_COLUMNS.join(', ')}.`);
  return column;
}
