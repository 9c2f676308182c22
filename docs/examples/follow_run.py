"""grokscope from Python: start a run with `requests`, follow it live over graphql-ws with `websockets`.

Debian/Ubuntu: apt-get install python3-requests python3-websockets (or pip install requests websockets), then
    GROKSCOPE_URL=http://127.0.0.1:4000/graphql python3 follow_run.py
"""

import asyncio
import json
import os
import sys

import requests
import websockets

URL = os.environ.get("GROKSCOPE_URL", "http://127.0.0.1:4000/graphql")

PROGRESS = """subscription($runId: ID!, $sinceStep: Int) {
  runProgress(runId: $runId, sinceStep: $sinceStep) { step status scalars { name value } }
}"""


def gql(query, variables=None):
    """One GraphQL request over HTTP POST; raises with the server's messages on an error."""
    response = requests.post(URL, json={"query": query, "variables": variables or {}}, timeout=30)
    body = response.json()
    if body.get("errors"):
        raise RuntimeError("; ".join(e["message"] for e in body["errors"]))
    return body["data"]


async def follow(run_id, since_step=None):
    """Yields runProgress events over the graphql-transport-ws protocol until the run ends."""
    ws_url = URL.replace("http", "ws", 1)
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as socket:
        await socket.send(json.dumps({"type": "connection_init"}))
        ack = json.loads(await socket.recv())
        if ack["type"] != "connection_ack":
            raise RuntimeError(f"expected connection_ack, got {ack}")
        variables = {"runId": run_id, "sinceStep": since_step}
        await socket.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": PROGRESS, "variables": variables}})
        )
        async for raw in socket:
            message = json.loads(raw)
            if message["type"] == "next":
                if message["payload"].get("errors"):
                    raise RuntimeError(message["payload"]["errors"])
                yield message["payload"]["data"]["runProgress"]
            elif message["type"] == "error":
                raise RuntimeError(message["payload"])
            elif message["type"] == "complete":
                return
            elif message["type"] == "ping":
                await socket.send(json.dumps({"type": "pong"}))


async def main():
    started = gql(
        "mutation($input: StartRunInput!) { startRun(input: $input) { id name } }",
        {
            "input": {
                "name": "python-example",
                "config": {"p": 11, "steps": 30, "backend": "cpu",
                           "model": {"kind": "MLP", "embedDim": 8, "hiddenDim": 16}},
            }
        },
    )["startRun"]
    print(f"started {started['name']} ({started['id']})")
    status = None
    async for event in follow(started["id"]):
        scalars = {s["name"]: s["value"] for s in event["scalars"]}
        if event["status"] == "RUNNING":
            print(f"step {event['step']} train_loss={scalars.get('train_loss')} test_acc={scalars.get('test_acc')}")
        else:
            status = event["status"]
            print(f"run ended: {status}")

    history = gql(
        "query($id: ID!) { run(id: $id) { stepsDone series(names: [\"test_acc\"], maxPoints: 5) { steps values } } }",
        {"id": started["id"]},
    )["run"]
    print(f"stored {history['stepsDone']} steps; test_acc downsampled: {history['series'][0]}")
    return 0 if status == "COMPLETED" else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
