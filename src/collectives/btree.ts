/**
 * Binary trees over 0..n−1 as NCCL builds them (src/graph/trees.cc): an in-order tree where odd indices
 * are leaves, and its double — mirrored (n even) or shifted by one (n odd) — so that a node interior in one
 * tree is a leaf in the other. Each tree of the pair carries half of the data (Sanders, Speck, Träff,
 * "Two-tree algorithms for full bandwidth broadcast, reduction and scan", Parallel Computing 2009).
 */

/** Parent of `r` in the in-order binary tree over 0..n−1 (root 0), −1 for the root. */
export function btreeParent(r: number, n: number): number {
  if (r === 0) return -1;
  const bit = r & -r;
  const up = (r ^ bit) | (bit << 1);
  return up >= n ? r ^ bit : up;
}

const trees = new Map<number, [Int32Array, Int32Array]>();
const depths = new WeakMap<Int32Array, number>();

/** The two trees of a double binary tree: parent arrays (−1 at the root), built once per n (read-only). */
export function doubleBinaryTree(n: number): [Int32Array, Int32Array] {
  let pair = trees.get(n);
  if (!pair) {
    pair = buildDoubleBinaryTree(n);
    trees.set(n, pair);
  }
  return pair;
}

function buildDoubleBinaryTree(n: number): [Int32Array, Int32Array] {
  const t1 = new Int32Array(n);
  const t2 = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    t1[r] = btreeParent(r, n);
    if (n % 2 === 0) {
      const p = btreeParent(n - 1 - r, n);
      t2[r] = p < 0 ? -1 : n - 1 - p;
    } else {
      const p = btreeParent((r - 1 + n) % n, n);
      t2[r] = p < 0 ? -1 : (p + 1) % n;
    }
  }
  return [t1, t2];
}

/** Largest number of edges from any node up to the root. */
export function treeDepth(parent: Int32Array): number {
  const known = depths.get(parent);
  if (known !== undefined) return known;
  const depth = new Int32Array(parent.length).fill(-1);
  const path = new Int32Array(parent.length);
  let max = 0;
  for (let r = 0; r < parent.length; r++) max = Math.max(max, depthOf(r, parent, depth, path));
  depths.set(parent, max);
  return max;
}

function depthOf(r: number, parent: Int32Array, memo: Int32Array, path: Int32Array): number {
  // Iterative: walk up to a known depth, then fill the walked nodes on the way back.
  let len = 0;
  let x = r;
  while (x >= 0 && memo[x] < 0) {
    path[len++] = x;
    x = parent[x];
  }
  let d = x < 0 ? -1 : memo[x];
  for (let i = len - 1; i >= 0; i--) memo[path[i]] = ++d;
  return memo[r];
}
