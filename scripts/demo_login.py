"""demo_login.py DEMO_JSON BASE_URL OFFICE: logs a demo office of a seeded relay in (both stages,
over mutual TLS with the office's certificate) and prints shell assignments for the CA, the
certificate, its key and the session token. For scripts/schemathesis.sh; the standard library only."""
import json
import shlex
import ssl
import sys
import urllib.request


def main():
    demo_json, base, number = sys.argv[1:4]
    demo = json.load(open(demo_json, encoding="utf-8"))
    office = next(o for o in demo["offices"] if o["number"] == number)
    context = ssl.create_default_context(cafile=demo["ca_certificate"])
    context.load_cert_chain(office["certificate"], office["private_key"])

    def post(path, body):
        request = urllib.request.Request(
            base + path,
            data=json.dumps(body).encode(),
            headers={"content-type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, context=context, timeout=30) as answer:
            return json.load(answer)

    stage = post("/v1/login/personal", {
        "user_id": office["personal_user_id"],
        "password": office["personal_password"],
    })
    session = post("/v1/login/office", {
        "stage_token": stage["stage_token"],
        "office_user_id": office["office_user_id"],
        "password": office["office_password"],
        "terminal_name": "schemathesis",
    })
    for name, value in [
        ("ca", demo["ca_certificate"]),
        ("cert", office["certificate"]),
        ("key", office["private_key"]),
        ("token", session["session_token"]),
    ]:
        print(f"{name}={shlex.quote(str(value))}")


if __name__ == "__main__":
    main()
