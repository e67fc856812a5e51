"""The ceiling: the smallest FastAPI endpoint (a constant small JSON), served by the same
uvicorn with the same worker count, so results can be given as a share of it."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}
