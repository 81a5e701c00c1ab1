"""What a user can do about an error that stopped a build step, from the exception's type and message (the command
line's summary prints it under the exception itself). Rules in order; the first that matches answers."""
from __future__ import annotations

# (exception class names, words in the message, advice) — errno names appear in OSError messages as their text
_RULES: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("PartlyPublished",), (),
     "nothing to undo: the release named above is published; fix what the message names (free disk space, move "
     "the folder away), then run the same command again to bring the dist folder's link and page up to date"),
    ((), ("No space left on device", "Disk quota exceeded"),
     "the disk is full: free space where the work and dist folders are (df -h), then run the same command again; "
     "the previous release is untouched and the next run continues from what was stored"),
    (("DamagedStoreEntry",), (),
     "a stored table of the work folder was damaged and has been removed: run the same command again to re-create "
     "it from its source document"),
    (("PermissionError",), ("Permission denied",),
     "check the permissions of the file or folder named above (the user running the build must be able to read "
     "the input folder and write the work and dist folders)"),
    (("IsADirectoryError", "NotADirectoryError"), (),
     "a folder stands where a file is expected (or the reverse): move the entry named above out of the way"),
    (("FileNotFoundError",), (),
     "a file or folder named above is missing: check the --seeds, --dist and --work paths"),
    (("BuildLocked",), (), "another build is running on the same folders: wait for it to finish"),
    (("PublishError", "SchemaErrors", "SchemaError"), (),
     "a table broke a rule of its schema (listed above): nothing was published; fix the input or report the rule"),
    (("OverflowError", "ValueError", "UnicodeDecodeError"), (),
     "a value of the input could not be read as the message says: fix that file (or its metadata.csv row) and "
     "run again"),
    (("MemoryError",), (), "the machine ran out of memory: build with fewer documents at a time or more memory"),
)
DEFAULT = ("unexpected: run the same command again; if it fails the same way, report it with this message and "
           "the input file it names")


def advice(cls_name: str, message: str) -> str:
    for names, words, text in _RULES:
        if (names and cls_name in names) or (words and any(w in message for w in words)):
            return text
    return DEFAULT
