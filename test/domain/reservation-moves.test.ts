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
    // The holder keeps its name (the one Services are annotated with) under a new CIDR.
    const wider = { ...ilb, cidr: '10.42.2.0/27' };
    expect(reservationMoves(design(some, [ilb, pe]), design(some, [wider, pe]))).toEqual([]);
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
