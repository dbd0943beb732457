"""schemathesis hooks of scripts/schemathesis: the claims routes' bodies.

`POST /api/v1/claims/lots` and `/claims/arrets` take JSON Lines (`application/jsonl`) or CSV
(`text/csv`) files, which schemathesis has no serializer for: both are text, sent as the
UTF-8 of the generated string.
"""

import schemathesis


@schemathesis.serializer("application/jsonl", "text/csv")
def text_file(ctx, value):
    if isinstance(value, bytes):
        return {"data": value}
    if not isinstance(value, str):
        value = str(value)
    return {"data": value.encode("utf-8")}
