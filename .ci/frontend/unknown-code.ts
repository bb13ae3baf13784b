// Must NOT compile: "no.such.code" is not an ErrorCode. .ci/frontend.sh fails
// when `tsc --strict --noEmit` accepts this file.
import type { ErrorCode } from "./error-codes";

export const code: ErrorCode = "no.such.code";
