"""The ceiling: the smallest FastAPI endpoint (a constant small JSON), served by the same
uvicorn with the same worker count (and the same listener, app.serving), so results can be
given as a share of it:

    .venv/bin/python -m bench.ceiling PORT WORKERS
"""

import sys

from fastapi import FastAPI

from app import serving

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


if __name__ == "__main__":
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    serving.run(
        "bench.ceiling:app",
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
