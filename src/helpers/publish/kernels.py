"""Warm kernels for the reports: one kernel per worker, reused for many notebooks.

Starting a kernel and importing pandas, plotly and the helpers costs more than most reports
themselves. :class:`WarmKernel` starts one kernel and runs notebook after notebook in it,
through papermill itself (so parameters are injected and the executed notebook carries
papermill's metadata exactly as with a fresh kernel), with its namespace emptied and its
working folder set before each one, so that no variable of a report reaches the next.

Kernels talk over the IPC transport (Unix sockets in a private folder), not TCP: parallel
kernels never collide on a port. A kernel that dies is restarted before the next notebook;
one that cannot start raises :class:`KernelStartError`, which names the report.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from jupyter_core.utils import run_sync
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

ENGINE = "hrt-warm-kernel"
START_ATTEMPTS = 3
START_TIMEOUT = 120  # seconds: a loaded machine can take long to start a kernel
RESET_TIMEOUT = 60


class KernelStartError(RuntimeError):
    """A kernel could not be started (after retries)."""


class WarmEngine(NBClientEngine):
    """papermill's nbclient engine, on a kernel that papermill did not start and must not
    stop; the kernel client it opens is closed after each notebook."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 **kwargs):
        from papermill.clientwrap import PapermillNotebookClient

        km = kwargs.pop("km")
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs, timeout=execution_timeout or kwargs.get("timeout"),
            startup_timeout=start_timeout, kernel_name=kernel_name,
            log=logging.getLogger("papermill"), log_output=log_output,
            stdout_file=stdout_file, stderr_file=stderr_file)
        client = PapermillNotebookClient(nb_man, km=km, **final_kwargs)
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()


papermill_engines.register(ENGINE, WarmEngine)


class WarmKernel:
    """One kernel, started on first use and reused by :meth:`execute`."""

    def __init__(self, kernel_name: str | None = None, extra_arguments: list[str] | None = None):
        self.kernel_name = kernel_name or "python3"
        self.extra_arguments = list(extra_arguments or [])
        self.km = None
        self._folder = None
        self.starts = 0

    def _start(self, label: str) -> None:
        # nbclient drives the kernel asynchronously (it polls whether the kernel is alive
        # while it waits for output), so the manager must be the asynchronous one.
        from jupyter_client.manager import AsyncKernelManager

        errors = []
        for attempt in range(1, START_ATTEMPTS + 1):
            self.shutdown()
            self._folder = tempfile.mkdtemp(prefix="hrt-kernel-")
            km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc",
                                    ip=os.path.join(self._folder, "socket"),
                                    connection_file=os.path.join(self._folder, "kernel.json"))
            try:
                run_sync(self._started)(km)
            except Exception as err:  # a kernel that does not start: try again, then say so
                errors.append(f"attempt {attempt}: {type(err).__name__}: {err}")
                try:
                    run_sync(km.shutdown_kernel)(now=True)
                except Exception:
                    pass
                time.sleep(attempt)
                continue
            self.km = km
            self.starts += 1
            return
        raise KernelStartError(f"the {self.kernel_name} kernel for {label} did not start: "
                               + "; ".join(errors))

    async def _started(self, km) -> None:
        await km.start_kernel(extra_arguments=self.extra_arguments)
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=START_TIMEOUT)
        finally:
            kc.stop_channels()

    def _reset(self, cwd: str) -> None:
        """Empty the namespace (modules stay imported) and set the working folder."""
        code = (f"%reset -f\nimport os as _hrt_os\n_hrt_os.chdir({str(cwd)!r})\n"
                "del _hrt_os")
        reply = run_sync(self._run)(code)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kernel could not be reset: {reply['content']}")

    async def _run(self, code: str) -> dict:
        # A client of its own, closed at once, as papermill's client is after its notebook.
        kc = self.km.client()
        kc.start_channels()
        try:
            return await kc.execute_interactive(code, timeout=RESET_TIMEOUT,
                                                store_history=False,
                                                output_hook=lambda msg: None)
        finally:
            kc.stop_channels()

    def is_alive(self) -> bool:
        return self.km is not None and run_sync(self.km.is_alive)()

    def execute(self, notebook: Path, output: Path, parameters: dict, cwd: Path, label: str,
                execution_timeout: int | None = None):
        """Run `notebook` with `parameters` into `output`, as papermill.execute_notebook does
        (same errors: PapermillExecutionError for a failing cell)."""
        import papermill

        if not self.is_alive():
            self._start(label)
        try:
            self._reset(str(cwd))
        except Exception:  # a kernel in a bad state: a fresh one for this report
            self._start(label)
            self._reset(str(cwd))
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=dict(parameters), engine_name=ENGINE,
            km=self.km, kernel_name=self.kernel_name, progress_bar=False, log_output=False,
            execution_timeout=execution_timeout,
            # Written once at the end: a page with figures carries plotly.js (some 5 MB),
            # and writing it after every cell cost more than some reports themselves.
            request_save_on_cell_execute=False)

    def shutdown(self) -> None:
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:
                pass
            self.km = None
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
