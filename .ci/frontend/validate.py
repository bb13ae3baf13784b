"""Validates error bodies against the JSON Schema of apierror::registry::json_schema().

    python validate.py SCHEMA [--openapi DOC]... [--bodies LIST]... [--body BODY]...

--openapi: an OpenAPI document; every example value of every response is a
body to validate (at least one per document). --bodies: a JSON array of
bodies (`cargo run --example catalog -- --sample-bodies`). --body: one body
(as a server answered it). Then each valid body is changed to carry an
unknown code, and the schema must refuse it. Exits 1 on any failure, listing
each.
"""

import argparse
import copy
import json
import sys

from jsonschema import Draft202012Validator


def examples(document):
    """Every (name, value) of the examples of the document's responses."""
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                for media, content in response.get("content", {}).items():
                    for name, example in content.get("examples", {}).items():
                        yield f"{method.upper()} {path} {status} {media} example {name}", example["value"]


def with_unknown_code(body):
    """The body with its first `error_code` replaced by one no registry holds."""
    wrong = copy.deepcopy(body)
    target = wrong[0] if isinstance(wrong, list) else wrong
    target["error_code"] = "no.such.code"
    return wrong


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("schema")
    parser.add_argument("--openapi", action="append", default=[])
    parser.add_argument("--bodies", action="append", default=[])
    parser.add_argument("--body", action="append", default=[])
    args = parser.parse_args()

    with open(args.schema, encoding="utf-8") as file:
        schema = json.load(file)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)

    bodies = []
    for path in args.openapi:
        with open(path, encoding="utf-8") as file:
            found = list(examples(json.load(file)))
        if not found:
            print(f"{path}: no example bodies", file=sys.stderr)
            return 1
        bodies += [(f"{path}: {name}", value) for name, value in found]
    for path in args.bodies:
        with open(path, encoding="utf-8") as file:
            bodies += [(f"{path}[{i}]", value) for i, value in enumerate(json.load(file))]
    for path in args.body:
        with open(path, encoding="utf-8") as file:
            bodies.append((path, json.load(file)))

    failures = []
    for name, body in bodies:
        for error in validator.iter_errors(body):
            failures.append(f"{name}: {error.message} at {list(error.absolute_path)}")
        if validator.is_valid(with_unknown_code(body)):
            failures.append(f"{name}: still valid with the code `no.such.code`")
    formats = {type(body).__name__ for _, body in bodies}
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        print(f"{len(failures)} failure(s) in {len(bodies)} bodies", file=sys.stderr)
        return 1
    print(f"{len(bodies)} bodies valid ({', '.join(sorted(formats))}); each refused with an unknown code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
