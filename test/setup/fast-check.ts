// Property tests draw their cases from one fixed seed, so a run is reproducible and CI never flakes.
// Explore other cases with FC_SEED=<n>, or FC_SEED=random; a failure prints the seed and path to replay.
import fc from "fast-check";

const requested = process.env.FC_SEED;
if (requested !== "random") fc.configureGlobal({ seed: requested ? Number(requested) : 20261125 });
