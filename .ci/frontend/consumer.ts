// A front end's use of the generated module (`error-codes.ts`, written by
// `cargo run --example catalog -- --typescript`), compiled by
// .ci/frontend.sh with `tsc --strict --noEmit`. The switch names each code
// of the example application, one line each, and its `never` makes tsc
// refuse the file when one is missing (the script checks that too, by
// deleting the line of "1010"); the library's `apierror.*` codes are shown
// by status, as a front end usually does.
import {
  ERROR_CODES,
  type ErrorBody,
  type ErrorCode,
  type ErrorObject,
  type Problem,
  type ProblemError,
  isErrorCode,
} from "./error-codes";

/** The library's own codes. */
type BuiltinCode = Extract<ErrorCode, `apierror.${string}`>;

function isBuiltin(code: ErrorCode): code is BuiltinCode {
  return code.startsWith("apierror.");
}

function messageFor(code: ErrorCode): string {
  if (isBuiltin(code)) {
    return ERROR_CODES[code].status >= 500 ? "Please try again later." : "Please check the request.";
  }
  switch (code) {
    case "1010": return "Pick another name for the column.";
    case "2001": return "Pick one of the column types.";
    case "3001": return "This table does not exist.";
    case "3002": return "This table is read-only.";
    case "9001": return "The database is unavailable; please try again later.";
    case "things.duplicate_name": return "Pick another name for the thing.";
    case "things.negative_votes": return "A thing cannot have fewer than zero votes.";
    case "things.not_found": return "This thing is gone.";
    case "things.rating_out_of_range": return "Rate it from 0 to 5.";
    case "things.store_unavailable": return "Please try again later.";
    case "things.too_many_votes": return "That is too many votes.";
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}

function describe(error: ErrorObject | ProblemError): string {
  const info = ERROR_CODES[error.error_code];
  const field: string | null = error.field ?? info.field;
  const docs: string | null = info.docs;
  const status: number = info.status;
  const details = error.details === null ? "" : ` ${Object.keys(error.details).join(",")}`;
  const debug = error.debug === undefined ? "" : ` (${error.debug.type}: ${error.debug.sources.join("; ")})`;
  const see = docs === null ? "" : ` See ${docs}.`;
  return `${status} ${field ?? "-"} ${messageFor(error.error_code)}${see}${details}${debug}`;
}

export function describeBody(body: ErrorBody | Problem): string[] {
  if (Array.isArray(body)) {
    return body.map(describe);
  }
  const top = `${body.status} ${body.title} [${body.type}, ${body.instance ?? "no id"}]`;
  return [top, describe(body), ...(body.errors ?? []).map(describe)];
}

/** A body from the network: its code, if this front end knows it. */
export function codeOf(received: { error_code: string }): ErrorCode | undefined {
  return isErrorCode(received.error_code) ? received.error_code : undefined;
}

const notFound: ErrorCode = "apierror.not_found";
const conflict: 409 = ERROR_CODES["1010"].status;
const field: "name" = ERROR_CODES["1010"].field;
export const constants = [notFound, conflict, field] as const;
