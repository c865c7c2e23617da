/**
 * Routing: which links a transfer crosses. Paths are never stored for every pair (a 16K-GPU fabric has
 * 2.7e8 pairs): a Router answers for one (src, dst) at a time from the fabric's structure, writing link ids
 * into caller-owned buffers so hot loops allocate nothing.
 */

/**
 * How flows spread over equal-cost paths: one hashed path per flow (`ecmp`), evenly over all of them
 * (`spray`), or sprayed with each switch picking the least-loaded up-link (`adaptive`). The routing layer's
 * own type; a scenario's `transport.loadBalancing` is one of these.
 */
export type LoadBalancing = "ecmp" | "spray" | "adaptive";

export interface Router {
  /** Number of equal-cost up-down paths from node src to node dst (0 when unreachable). */
  pathCount(src: number, dst: number): number;
  /** Writes the link ids of path k (0 <= k < pathCount) into `out`; returns the number of links. */
  path(src: number, dst: number, k: number, out: Int32Array): number;
  /**
   * An even split over all equal-cost paths, as the fluid engines model packet spraying: writes each link
   * the flow touches with the fraction of the flow's bytes it carries; returns the number of links.
   */
  spread(src: number, dst: number, outLinks: Int32Array, outWeights: Float64Array): number;
  /** Upper bound on links in any path, to size buffers. */
  readonly maxHops: number;
  /** Upper bound on links `spread` can write for one pair. */
  readonly maxSpread: number;
}

export interface RoutingOptions {
  loadBalancing: LoadBalancing;
  /**
   * Rail-aware (PXN-like): traffic between accelerators on different rails first crosses the scale-up
   * domain to the accelerator on the destination's rail, then goes out on that rail.
   */
  railAware: boolean;
  seed: number;
  /** Per link: 1 = down (routes avoid it). */
  failed?: Uint8Array;
}
