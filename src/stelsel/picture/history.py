"""One history record for one change of an item together with its links.

Evidence and actions keep their links to standards and indicators in their history
(simple-history's `m2m_fields`), so the picture on an earlier date can count them as they were
linked then. Left alone, simple-history writes a record for the save and another for every link
that changes, so recording one action would show as two or three changes, the first of them
without its links. `one_record` writes a single record, after the fields and the links are in
place.
"""

from contextlib import contextmanager


@contextmanager
def one_record(obj, field: str):
    """Save `obj` and change its links inside the block: nothing is recorded there; on leaving
    it, one record holds the fields and the links as they are then. `field` names a field the
    closing save writes again unchanged (a save is what makes simple-history write a record).
    If the block raises, nothing is recorded (and the transaction around it rolls back)."""
    obj.skip_history_when_saving = True
    try:
        yield obj
    finally:
        del obj.skip_history_when_saving
    obj.save(update_fields=[field])
