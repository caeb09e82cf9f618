#!/usr/bin/env python3
"""An example Homeward API client (standard library only), runnable against `make demo`.

    homeward api_token consul.ru            # prints a token
    HOMEWARD_TOKEN=hw_… python docs/api_client.py [--base http://127.0.0.1:8000]

It shows, in order:

1. token auth (`Authorization: Bearer …`) and problem+json errors;
2. walking a list by cursor (`?paginate=cursor`), following `next` until it is null;
3. an If-Match update: read a case (its ETag), then move it with the ETag in If-Match
   (412 if someone changed it meanwhile, 428 if If-Match is left out) — only with --move;
4. an idempotent create: a webhook subscription POSTed twice with the same
   Idempotency-Key creates one subscription, the second answer says Idempotent-Replayed;
5. a webhook receiver that verifies `Homeward-Signature` (`--listen PORT`);
6. an import (`--import KIND FILE`): upload the file (multipart), poll until the dry run is
   done, print the rejected rows' reasons, and — with --commit and a clean dry run — commit
   with the ETag in If-Match and poll until the worker (`homeward run_imports`) is done.
"""

import argparse
import hashlib
import hmac
import http.server
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid


class Problem(Exception):
    """An error answer (RFC 9457 problem details)."""

    def __init__(self, status: int, body: dict):
        self.status, self.body = status, body
        super().__init__(f"{status} {body.get('title', '')}: {body.get('detail', '')}")


class Client:
    def __init__(self, base: str, token: str):
        self.base = base.rstrip("/")
        self.token = token

    def request(self, method: str, path: str, body=None, headers=None, *, form=None):
        """(status, headers, JSON body); error answers raise Problem. `form` is a multipart
        body (bytes, content type) instead of JSON: see `multipart`."""
        url = path if path.startswith("http") else f"{self.base}{path}"
        data, content_type = form or (
            (json.dumps(body).encode(), "application/json") if body is not None else (None, None)
        )
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                return response.status, response.headers, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                problem = json.loads(payload)
            except ValueError:
                problem = {"detail": payload.decode(errors="replace")}
            raise Problem(error.code, problem) from None

    def each(self, path: str):
        """Every row of a list, page after page (follows `next`: a cursor link when the
        first page was asked with `paginate=cursor`, else a page number)."""
        url = path
        while url:
            _status, _headers, page = self.request("GET", url)
            yield from page["results"]
            url = page["next"]


def multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with `fields` and one file named `file`."""
    boundary = uuid.uuid4().hex
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{os.path.basename(filename)}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return (
        "v1="
        + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    )


def verify(secret: str, body: bytes, timestamp: str, signature: str, tolerance: int = 300) -> bool:
    """A delivery is genuine when the HMAC matches and the timestamp is fresh."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def serve(port: int, secret: str) -> None:
    """A receiver for webhook deliveries: 204 when the signature holds, 401 when not."""

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ok = verify(
                secret,
                body,
                self.headers.get("Homeward-Timestamp", ""),
                self.headers.get("Homeward-Signature", ""),
            )
            if ok:
                event = json.loads(body)
                print(f"{event['topic']}: case {event['case'] and event['case']['reference']}")
            self.send_response(204 if ok else 401)
            self.end_headers()

    print(f"listening on 127.0.0.1:{port}; run `homeward deliver_webhooks` to send")
    http.server.HTTPServer(("127.0.0.1", port), Receiver).serve_forever()


WORKING = {"uploaded", "analysing", "commit_queued", "committing"}


def import_file(api: Client, kind: str, filename: str, commit: bool) -> None:
    """Upload, wait for the dry run, show what is wrong, and commit a clean file."""
    with open(filename, "rb") as source:
        _status, headers, batch = api.request(
            "POST",
            "/api/v1/imports/",
            headers={"Idempotency-Key": str(uuid.uuid4())},  # a retried upload: one import
            form=multipart({"kind": kind}, filename, source.read()),
        )
    url = f"/api/v1/imports/{batch['id']}/"
    while batch["status"] in WORKING:  # a large file is checked by the worker
        time.sleep(2)
        _status, headers, batch = api.request("GET", url)
    print(f"import {batch['id']}: {batch['status']}, {batch['total_rows']} rows, "
          f"{batch['rejected_rows']} rejected")  # fmt: skip
    for error in batch["file_errors"]:
        print(f"  file: {error}")
    for row in api.each(f"{url}rows/?paginate=cursor"):  # the rejected rows and look-alikes
        for error in row["errors"]:
            print(f"  row {row['number']}, {error['column']}: {error['message']}")
        for person in row["duplicates"]:
            print(f"  row {row['number']} looks like {person['name']} ({person['case']})")
    if batch["status"] == "needs_date_order":
        print("  choose the order: POST options/ with date_order=dmy or mdy (and If-Match)")
    if not commit or batch["status"] != "ready":
        return
    _status, headers, batch = api.request(
        "POST", f"{url}commit/", {}, {"If-Match": headers["ETag"]}
    )
    while batch["status"] in WORKING:
        time.sleep(2)
        _status, headers, batch = api.request("GET", url)
    print(f"  {batch['status']}: {batch['committed_rows']} rows {batch['failure']}".rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--move", action="store_true", help="put the first case on hold")
    parser.add_argument("--listen", type=int, help="receive webhooks on this port")
    parser.add_argument("--secret", default=os.environ.get("HOMEWARD_WEBHOOK_SECRET", ""))
    parser.add_argument(
        "--import", dest="import_file", nargs=2, metavar=("KIND", "FILE"), help="import a file"
    )
    parser.add_argument("--commit", action="store_true", help="commit a clean import")
    args = parser.parse_args()
    if args.listen:
        serve(args.listen, args.secret)
        return 0
    token = os.environ.get("HOMEWARD_TOKEN")
    if not token:
        print("Set HOMEWARD_TOKEN (homeward api_token USERNAME).", file=sys.stderr)
        return 2
    api = Client(args.base, token)
    if args.import_file:
        try:
            import_file(api, *args.import_file, commit=args.commit)
        except Problem as problem:
            print(f"not imported: {problem} {problem.body.get('errors', '')}".rstrip())
            return 1
        return 0

    # 1-2. walking the cases the token may see by cursor (stable while cases are added)
    cases = list(api.each("/api/v1/cases/?paginate=cursor&page_size=50"))
    print(f"{len(cases)} cases visible")
    try:
        api.request("GET", f"/api/v1/cases/{uuid.uuid4()}/")
    except Problem as problem:
        print(f"a missing case: {problem.body['type']} ({problem.status})")

    # 3. If-Match: the ETag of the read goes back with the write
    if args.move and cases:
        _status, headers, case = api.request("GET", f"/api/v1/cases/{cases[0]['id']}/")
        try:
            _status, headers, moved = api.request(
                "POST",
                f"/api/v1/cases/{case['id']}/transitions/",
                {"transition": "put_on_hold", "reason": "Example client"},
                {"If-Match": headers["ETag"]},
            )
            print(f"{case['reference']} is now {moved['status']} (ETag {headers['ETag']})")
        except Problem as problem:
            print(f"not moved: {problem}")

    # 4. an idempotent create: the same key twice, one subscription
    states = list(api.each("/api/v1/home-states/"))
    if states:
        key = str(uuid.uuid4())
        body = {
            "home_state": states[0]["id"],
            "target_url": "https://receiver.example.org/homeward",
            "topics": ["case.status_changed"],
        }
        try:
            first = api.request(
                "POST", "/api/v1/webhook-subscriptions/", body, {"Idempotency-Key": key}
            )
            again = api.request(
                "POST", "/api/v1/webhook-subscriptions/", body, {"Idempotency-Key": key}
            )
            print(
                f"subscription {first[2]['id']}: replayed={again[1].get('Idempotent-Replayed')}, "
                f"same={first[2]['id'] == again[2]['id']}; keep the secret: {first[2]['secret']}"
            )
        except Problem as problem:
            print(f"no subscription: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
