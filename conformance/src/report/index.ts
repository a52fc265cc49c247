export { shouldUseColor } from "./color.js";
export { toJSON } from "./json.js";
export { toJUnit } from "./junit.js";
export { createProgress } from "./progress.js";
export { formatReport } from "./table.js";
