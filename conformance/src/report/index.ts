export { shouldUseColor } from "./color.js";
export { toJSON } from "./json.js";
export { toJUnit } from "./junit.js";
export { createProgress, type Progress } from "./progress.js";
export { type FormatOptions, formatReport } from "./table.js";
