/**
 * Accumulates per-link weights of a spread into the caller's buffers, each link written once: weights of a
 * link reached by several paths add up. Scratch is sized to the fabric once; nothing allocates per call.
 */
export interface SpreadSink {
  weight: Float64Array;
  stamp: Int32Array;
  epoch: number;
  outLinks: Int32Array;
  outWeights: Float64Array;
  n: number;
}

export function makeSpreadSink(links: number): SpreadSink {
  return {
    weight: new Float64Array(links),
    stamp: new Int32Array(links),
    epoch: 0,
    outLinks: new Int32Array(0),
    outWeights: new Float64Array(0),
    n: 0,
  };
}

export function openSink(s: SpreadSink, outLinks: Int32Array, outWeights: Float64Array): void {
  s.epoch++;
  if (s.epoch === 0x7fffffff) {
    s.stamp.fill(0);
    s.epoch = 1;
  }
  s.outLinks = outLinks;
  s.outWeights = outWeights;
  s.n = 0;
}

export function addWeight(s: SpreadSink, link: number, w: number): void {
  if (s.stamp[link] !== s.epoch) {
    s.stamp[link] = s.epoch;
    s.weight[link] = 0;
    s.outLinks[s.n++] = link;
  }
  s.weight[link] += w;
}

/** Writes the summed weights next to their links; returns the number of links. */
export function closeSink(s: SpreadSink): number {
  for (let i = 0; i < s.n; i++) s.outWeights[i] = s.weight[s.outLinks[i]];
  return s.n;
}
