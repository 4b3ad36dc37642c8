import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve the web app and a Celery worker with embedded beat together; "
        "Ctrl-C (or SIGTERM) stops both, and if one exits the other is stopped too."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--concurrency", default="2", help="Celery worker processes.")

    def handle(self, *args, host: str, port: str, concurrency: str, **options) -> None:
        commands = {
            "worker": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "videocreator",
                "worker",
                "--beat",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--schedule=var/celerybeat-schedule",
            ],
            "web": [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        }
        children = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        stopping = False

        def stop(*_args) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Web on http://{host}:{port}/ and a Celery worker with beat.")
        self.stdout.write("Press Ctrl-C to stop both.")
        while not stopping and all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("Stopped web and worker.")
