/** cli-startup-version: `weft --version` must answer in under 150 ms (commands load lazily). */
import { startupCase } from "../cli-startup.js";

export default startupCase("cli-startup-version", ["--version"], 0.15);
