"""Lists spells, runs one, starts another and polls it, through the generated client.

Usage: client_check.py BASE_URL (PYTHONPATH holding the generated llmspell_client).
"""
import json
import sys
import time

import llmspell_client
from llmspell_client.api.runs_api import RunsApi
from llmspell_client.api.spells_api import SpellsApi
from llmspell_client.models.run_request import RunRequest
from llmspell_client.rest import ApiException

configuration = llmspell_client.Configuration(host=sys.argv[1])
with llmspell_client.ApiClient(configuration) as client:
    spells = SpellsApi(client).list()
    print("spells:", ",".join(sorted(spell.name for spell in spells)))
    hello = next(spell for spell in spells if spell.name == "hello")
    print("hello parameters:", ",".join(parameter.name for parameter in hello.parameters))

    runs = RunsApi(client)
    result = runs.run("hello", run_request=RunRequest(params={"name": "Python"}))
    print("run:", result.status, json.dumps(result.result, sort_keys=True), "|".join(result.output))

    accepted = runs.start("hello", run_request=RunRequest(params={"name": "later"}))
    deadline = time.time() + 20
    status = runs.status(accepted.run_id)
    while status.state != "finished" and time.time() < deadline:
        time.sleep(0.1)
        status = runs.status(accepted.run_id)
    print("started:", accepted.location == "/runs/" + accepted.run_id, status.state, status.status,
          json.dumps(status.result, sort_keys=True))

    try:
        runs.run("no-such-spell", run_request=RunRequest())
        print("problem: none")
    except ApiException as problem:
        body = json.loads(problem.body)
        print("problem:", problem.status, body["title"], body["spell"])
