"""A small round-robin TCP load balancer for the scale-out benchmark.

Each incoming connection goes to the next backend in turn and is piped both ways until either
side closes. Connection-level balancing is what a plain TCP balancer (HAProxy in `mode tcp`,
nginx `stream`) does; keep-alive clients therefore stay on one backend, and many clients spread
evenly. A backend that refuses the connection is skipped for that connection.

    python benchmarks/balancer.py --listen 8000 --backend 127.0.0.1:8001 --backend 127.0.0.1:8002
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import signal


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def serve(listen: int, backends: list[tuple[str, int]]) -> None:
    turn = itertools.cycle(range(len(backends)))

    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        first = next(turn)
        for k in range(len(backends)):
            host, port = backends[(first + k) % len(backends)]
            try:
                backend_reader, backend_writer = await asyncio.open_connection(host, port)
                break
            except OSError:
                continue
        else:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, backend_writer), pipe(backend_reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", listen, backlog=1024)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--backend", action="append", required=True, help="host:port (repeat)")
    args = parser.parse_args()
    backends = [(b.rsplit(":", 1)[0], int(b.rsplit(":", 1)[1])) for b in args.backend]
    asyncio.run(serve(args.listen, backends))


if __name__ == "__main__":
    main()
