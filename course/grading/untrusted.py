"""Nothing is followed out of a submission: links, special files and foreign folders.

A student controls every name in their submission. A symbolic link (``notes.txt ->
../../../gradebook.db``), a hard link to a file outside it, a FIFO or device file, or a
submission folder that is itself a link would make the grader read, copy (into the
kernel's folder, into feedback) or write through a path the student chose. Every file the
grader takes from a submission is checked without following it (``lstat``, and
``O_NOFOLLOW`` opens checked with ``fstat``), and anything that is not a plain file or
folder is refused and reported, never read nor written through.

Used by ``course-grade``'s pre-flight (:func:`refuse`), by plain ``nbgrader autograde``
(:class:`RefuseUnsafeFiles`, first sanitize preprocessor), by nbgrader's exchange collect
(:class:`SafeExchangeCollect`) and zip collect (:class:`SafeExtractor`), and by the
sandbox when it copies a submission's files for the kernel (:func:`copy_tree`).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.plugins.zipcollect import ExtractorPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import ignore_patterns, unzip
from traitlets import Integer

REFUSED = "refused"
"""Folder, under a student's originals, where refused entries are moved (never followed)."""
REFUSED_FOLDER = "refused-folder"
"""Where a submission folder that is a link is moved."""


class UnsafeSubmission(RuntimeError):
    """A submission holds something the grader will not follow."""


def reason(info: os.stat_result, path: str | Path = "") -> str | None:
    """Why an entry with this ``lstat`` result is refused (``None``: a plain file or folder)."""
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        try:
            return f"a symbolic link (to {os.readlink(path)!r})"
        except OSError:
            return "a symbolic link"
    if stat.S_ISDIR(mode):
        return None
    if stat.S_ISREG(mode):
        if info.st_nlink > 1:
            return f"a hard link (one of {info.st_nlink} names of a file that may lie elsewhere)"
        return None
    kinds = {stat.S_ISFIFO: "a FIFO", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a device file",
             stat.S_ISBLK: "a device file"}
    return next((name for test, name in kinds.items() if test(mode)), "not a regular file")


def linked_folder(path: Path, root: Path) -> str | None:
    """Why ``path`` is not a plain folder reached from ``root`` without links (``None``: it
    is): each component under ``root`` is checked without following it."""
    found = _linked_component(path, root)
    return found[1] if found else None


def _linked_component(path: Path, root: Path) -> tuple[Path | None, str] | None:
    """The first component of ``path`` under ``root`` that is not a plain folder, and why."""
    root = Path(os.path.abspath(root))
    try:
        relative = Path(os.path.abspath(path)).relative_to(root)
    except ValueError:
        return None, f"{str(path)!r} is outside the course root"
    current = root
    for part in relative.parts:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return None
        why = reason(info, current) or (None if stat.S_ISDIR(info.st_mode) else "not a folder")
        if why:
            return current, f"the folder {str(current.relative_to(root))!r} is {why}"
    return None


def unsafe_entries(folder: Path) -> list[tuple[Path, str]]:
    """Every entry under ``folder`` (not followed) that is not a plain file or folder."""
    found: list[tuple[Path, str]] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        return found
    for entry in entries:
        path = Path(entry.path)
        info = entry.stat(follow_symlinks=False)
        why = reason(info, path)
        if why:
            found.append((path, why))
        elif stat.S_ISDIR(info.st_mode):
            found += unsafe_entries(path)
    return found


def refuse(submission: Path, root: Path, kept: Path) -> list[tuple[str, str, str]]:
    """Make ``submission`` (``submitted/<student>/<assignment>``) hold only plain files and
    folders. A submission folder reached through a link is replaced by an empty folder (so
    it is graded as the blank notebook, 0); every link, hard link or special file in it is
    moved, itself and not followed, to ``kept/refused/``. Returns (name, problem, action)
    for each entry refused, now or when the submission was graded before."""
    found = _linked_component(submission, root)
    if found:
        component, why = found
        if component is None or not os.path.islink(component):
            raise UnsafeSubmission(why)
        _move_away(component, kept / REFUSED_FOLDER / component.name)
        submission.mkdir(parents=True, exist_ok=True)
    for path, _ in unsafe_entries(submission):
        _move_away(path, kept / REFUSED / path.relative_to(submission))
    return [*(("*", f"the submission folder is {why}",
               "refused: graded as an empty submission (0), nothing read through it")
              for _, why in unsafe_entries(kept / REFUSED_FOLDER)),
            *((str(path.relative_to(kept / REFUSED)), f"the file is {why}",
               "refused: not read, not given to the kernel, not in the feedback")
              for path, why in unsafe_entries(kept / REFUSED))]


def _move_away(path: Path, target: Path) -> None:
    """Move the entry ``path`` itself (a rename never follows it) out of the submission;
    across file systems it is removed (a link or special file holds nothing to keep)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    number = 0
    while os.path.lexists(target):
        number += 1
        target = target.with_name(f"{path.name}.{number}")
    try:
        os.rename(path, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        os.unlink(path)


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path`` if it is a plain file (not a link, not hard-linked)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        _check_plain(os.fstat(fd), path)
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(fd)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``path`` without following a link at its name: a link, hard link or special
    file there is refused (``UnsafeSubmission``), never written through."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    try:
        _check_plain(os.fstat(fd), path)
        os.ftruncate(fd, 0)
        with os.fdopen(fd, "wb", closefd=False) as file:
            file.write(data)
    finally:
        os.close(fd)


def _check_plain(info: os.stat_result, path: Path) -> None:
    why = reason(info, path)
    if why:
        raise UnsafeSubmission(f"{path.name!r} is {why}")


def copy_tree(src: Path, dest: Path,
              skip: Callable[[str, str], bool] = lambda folder, name: False,
              ) -> list[tuple[str, str]]:
    """Copy the plain files and folders of ``src`` to ``dest`` (made if missing) through
    file descriptors opened without following links, so nothing a name points to is read
    even if the name changes meanwhile; returns (relative name, why) of what was refused.
    ``skip(folder, name)`` (folder relative to ``src``) leaves entries out silently."""
    refused: list[tuple[str, str]] = []
    top = os.open(src, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        _copy_dir(top, dest, "", skip, refused)
    finally:
        os.close(top)
    return refused


def _copy_dir(fd: int, dest: Path, prefix: str, skip, refused: list) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for name in sorted(os.listdir(fd)):
        if skip(prefix, name):
            continue
        relative = f"{prefix}{name}"
        info = os.lstat(name, dir_fd=fd)
        why = reason(info)
        if why:
            refused.append((relative, why))
            continue
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
        if stat.S_ISDIR(info.st_mode):
            child = os.open(name, flags | os.O_DIRECTORY, dir_fd=fd)
            try:
                _copy_dir(child, dest / name, f"{relative}/", skip, refused)
            finally:
                os.close(child)
            continue
        child = os.open(name, flags, dir_fd=fd)
        try:
            why = reason(os.fstat(child))  # what was opened, should the name have changed
            if why:
                refused.append((relative, why))
                continue
            with os.fdopen(child, "rb", closefd=False) as source, \
                    open(dest / name, "xb") as target:
                shutil.copyfileobj(source, target)
        finally:
            os.close(child)


class RefuseUnsafeFiles(NbGraderPreprocessor):
    """First sanitize step of ``nbgrader autograde``: a submission holding a link, a hard
    link or a special file, or reached through a linked folder, fails (nbgrader then
    removes its autograded folder and grades nobody from it) before a kernel starts.
    ``course-grade`` has already moved such entries away and graded what remains."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        root = Path(coursedir.root)
        folder = Path(coursedir.format_path(coursedir.submitted_directory, info["student"],
                                            info["assignment"]))
        why = linked_folder(folder, root)
        problems = [why] if why else [
            f"{str(path.relative_to(folder))!r} is {what}" for path, what in unsafe_entries(folder)]
        if problems:
            raise UnsafeSubmission(
                f"submission of {info['student']!r} refused: {'; '.join(problems)}")
        return nb, resources


def _unpacked_size(archive: Path, limit: int) -> int | None:
    """The bytes ``archive`` (zip, or tar compressed or not) says it unpacks to, counted up
    to just past ``limit``; ``None`` if it is no archive. A zip's member cannot unpack to
    more than its declared size (``zipfile`` stops there); a tar's sizes are read from its
    headers, decompressing no further than past ``limit``."""
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as opened:
                return sum(info.file_size for info in opened.infolist())
        total = 0
        with tarfile.open(archive) as opened:
            for member in opened:
                total += member.size
                if total > limit:
                    break
        return total
    except (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError, ValueError):
        return None


class SafeExchangeCollect(ExchangeCollect):
    """nbgrader's exchange collect, copying only plain files and folders: a student can
    place links in the inbound folder, which collect (run as the instructor) would follow.
    nbgrader's size limits and ignore/include patterns apply as before."""

    def do_copy(self, src: str, dest: str, log=None) -> None:
        size, most = self.get_size(src), 1000 * self.coursedir.max_dir_size
        if size > most:
            raise RuntimeError(f"Directory size is too big. Size is {size}, maximum size is "
                               f"{most}")
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)
        for name, why in copy_tree(Path(src), Path(dest), lambda folder, name: bool(
                ignore(str(Path(src) / folder), [name]))):
            self.log.error("Refused %s in %s: it is %s", name, src, why)


class SafeExtractor(ExtractorPlugin):
    """nbgrader's zip-collect extractor, taking no link or special file from the archive
    folder or out of an archive: those are moved to ``refused/`` beside the archive folder
    (or removed from what was extracted) and listed in :attr:`refused`. Archives are
    unpacked as nbgrader does (archives in archives too: a student may upload a zip), but
    each only after its declared size is checked, and only ``max_depth`` deep: a zip bomb
    or a zip that holds itself would otherwise fill the disk or never end."""

    max_bytes = Integer(2 * 1024**3, help="Refuse an archive whose files would take more "
                        "than this many bytes unpacked (each archive, nested ones each on "
                        "their own).").tag(config=True)
    max_depth = Integer(3, help="Archives unpacked inside archives at most this deep (the "
                        "LMS's zip, a student's zip in it, ...); deeper ones are refused."
                        ).tag(config=True)

    def extract(self, archive_path: str, extracted_path: str) -> None:
        self.refused: list[tuple[str, str]] = []
        for path, why in unsafe_entries(Path(archive_path)):
            _move_away(path, Path(archive_path).parent / REFUSED / path.name)
            self._refuse(path.name, why)
        for root, _folders, files in os.walk(archive_path):
            into = Path(extracted_path, os.path.relpath(root, archive_path))
            into.mkdir(parents=True, exist_ok=True)
            for name in files:
                if os.path.splitext(name)[1] in self.zip_ext:
                    self._unpack(Path(root, name), into, 1, name)
                else:
                    shutil.copy(Path(root, name), into / name)
        for path, why in unsafe_entries(Path(extracted_path)):
            path.unlink()
            self._refuse(str(path.relative_to(extracted_path)), why)

    def _unpack(self, archive: Path, into: Path, depth: int, name: str) -> None:
        """``archive`` into a folder of its name in ``into`` (nbgrader's ``unzip``), then
        each archive that came out of it, one level deeper."""
        if depth > self.max_depth:
            self._refuse(name, f"an archive nested more than {self.max_depth} deep")
            return
        size = _unpacked_size(archive, self.max_bytes)
        if size is None or size > self.max_bytes:
            self._refuse(name, "not an archive that can be read" if size is None else
                         f"an archive that would unpack to more than {self.max_bytes} bytes "
                         "(SafeExtractor.max_bytes)")
            return
        before = set(into.rglob("*"))
        unzip(str(archive), str(into), zip_ext=self.zip_ext, create_own_folder=True)
        for inner in sorted(set(into.rglob("*")) - before):
            if inner.is_file() and not inner.is_symlink() and inner.suffix in self.zip_ext:
                self._unpack(inner, inner.parent, depth + 1, f"{name}/{inner.name}")

    def _refuse(self, name: str, why: str) -> None:
        self.refused.append((name, why))
        self.log.error("Refused %s: it is %s", name, why)
