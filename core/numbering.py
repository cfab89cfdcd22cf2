"""Readable numbers for applications and requests: PREFIX-<year>-<id>, the id unique across years."""

from django.utils import timezone


def assign_yearly_number(obj, field, prefix):
    """Give a just-created row its number from its id, and save that one field."""
    setattr(obj, field, f"{prefix}-{timezone.localdate().year}-{obj.pk:06d}")
    obj.save(update_fields=[field])
    return obj
