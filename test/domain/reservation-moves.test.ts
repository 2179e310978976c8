import { describe, expect, it } from 'vitest';
import { planDesign } from '../../src/domain/plan/planner.js';
import { reservationMoves } from '../../src/domain/plan/reservation-moves.js';

const design = (reservations: object, platformSubnets: object[]) =>
  planDesign({
    name: 'moving',
    network: { plugin: 'azure-cni-overlay', vnetAddressSpace: ['10.42.0.0/16'], nodeSubnet: '10.42.1.0/24' },
    nodePools: [{ name: 'system', nodeCount: 3 }],
    platformSubnets,
    reservations,
  } as never).model.plan;

const ilb = { role: 'internal-load-balancers', name: 'ilb', cidr: '10.42.2.0/28' };
const pe = { role: 'private-endpoints', name: 'pe', cidr: '10.42.3.0/28' };

describe('reservationMoves', () => {
  it('says nothing of a role the plan had none of, or of reservations that stay', () => {
    expect(reservationMoves(design({}, []), design({}, [ilb, pe]))).toEqual([]);
    const some = { internalLoadBalancers: 1, privateEndpoints: 1 };
    expect(reservationMoves(design(some, [ilb, pe]), design(some, [ilb, pe]))).toEqual([]);
    // A subnet of the role after the holder holds nothing: the first one still does.
    const later = { ...ilb, name: 'ilb-2', cidr: '10.42.4.0/28' };
    expect(reservationMoves(design(some, [ilb]), design(some, [ilb, later]))).toEqual([]);
    // None planned after the change: nothing is planned anywhere to have moved.
    const none = { internalLoadBalancers: 0, privateEndpoints: 0 };
    expect(reservationMoves(design(some, []), design(none, [ilb, pe]))).toEqual([]);
    // The holder keeps its name (the one Services are annotated with) under a new CIDR, or in
    // another case (Azure's names are the same in any case).
    const wider = { ...ilb, cidr: '10.42.2.0/27' };
    expect(reservationMoves(design(some, [ilb, pe]), design(some, [wider, pe]))).toEqual([]);
    expect(reservationMoves(design(some, [ilb, pe]), design(some, [{ ...ilb, name: 'ILB' }, pe]))).toEqual(
      [],
    );
  });

  it('names a move from one node subnet to another: pools put in another order', () => {
    const pools = [
      { name: 'system', nodeCount: 3 },
      { name: 'apps', mode: 'System', nodeCount: 2, nodeSubnet: '10.42.3.0/24' },
    ];
    const inOrder = (order: object[]) =>
      planDesign({
        name: 'reordered',
        network: {
          plugin: 'azure-cni-overlay',
          vnetAddressSpace: ['10.42.0.0/16'],
          nodeSubnet: '10.42.1.0/24',
        },
        nodePools: order,
        reservations: { internalLoadBalancers: 2, privateEndpoints: 1 },
      } as never).model.plan;
    expect(reservationMoves(inOrder(pools), inOrder([...pools].reverse()))).toEqual([
      {
        code: 'RESERVATIONS_MOVED',
        message:
          "private endpoints are planned in the first pool's node subnet 10.42.3.0/24 now, not in the first pool's node subnet 10.42.1.0/24: those that exist stay there, taking addresses the plan no longer counts, until each is moved to the first pool's node subnet 10.42.3.0/24 or created there again",
      },
      {
        code: 'RESERVATIONS_MOVED',
        message:
          "internal load balancer frontends are planned in the first pool's node subnet 10.42.3.0/24 now, not in the first pool's node subnet 10.42.1.0/24: those that exist stay there, taking addresses the plan no longer counts, until their Services are annotated service.beta.kubernetes.io/azure-load-balancer-internal-subnet with that subnet's name",
      },
    ]);
  });

  it('names each role that moves, from where to where', () => {
    const before = design({ internalLoadBalancers: 0, privateEndpoints: 2 }, []);
    const after = design({ internalLoadBalancers: 0, privateEndpoints: 2 }, [ilb, pe]);
    expect(reservationMoves(before, after)).toEqual([
      {
        code: 'RESERVATIONS_MOVED',
        message:
          "private endpoints are planned in subnet pe (10.42.3.0/28) now, not in the first pool's node subnet 10.42.1.0/24: those that exist stay there, taking addresses the plan no longer counts, until each is moved to subnet pe (10.42.3.0/28) or created there again",
      },
    ]);
  });
});
