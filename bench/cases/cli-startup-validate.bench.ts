/** cli-startup-validate: `weft validate examples/quickstart.yaml` must answer in under 300 ms. */
import { startupCase } from "../cli-startup.js";

export default startupCase("cli-startup-validate", ["validate", "examples/quickstart.yaml"], 0.3);
