"""Saving over someone else's save is refused, the same way for everything that is edited.

A form or API call carries the revision it was opened on. The save locks the row, compares the
revision and, if someone saved in between, writes nothing and raises `EditConflict` with the
row as it now is; otherwise it raises the revision by one with the change. Pages show the two
versions side by side (`stelsel.lib.conflicts`); the API answers 409 with both revisions.
"""

from django.db.models import Model, QuerySet


class EditConflict(Exception):
    """Someone else saved after the editor opened it; `current` is their version (None when
    what the editor opened did not exist yet and someone created it in between)."""

    def __init__(self, current: Model | None):
        super().__init__("edit conflict")
        self.current = current

    @property
    def revision(self) -> int:
        return self.current.revision if self.current is not None else 0


def lock_at_revision(queryset: QuerySet, pk, revision: int):
    """The row `pk` of `queryset`, locked until the end of the transaction, if its revision is
    still `revision`; `EditConflict` with the row otherwise. Call inside `transaction.atomic`."""
    locked = queryset.select_for_update(of=("self",)).get(pk=pk)
    refuse_if_moved_on(locked, revision)
    return locked


def refuse_if_moved_on(current: Model | None, revision: int) -> None:
    """`EditConflict` if the (already locked) row is no longer at `revision`; a row that does
    not exist yet counts as revision 0."""
    if (current.revision if current is not None else 0) != revision:
        raise EditConflict(current)


def next_revision(obj: Model) -> None:
    """Raise the revision of a row about to be saved with a change."""
    obj.revision += 1
