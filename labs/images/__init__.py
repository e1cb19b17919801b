"""Images without a registry: every image a lab declares, pulled where possible and
otherwise built here as a faithful local stand-in with the same name and tag.

    from labs.images import known_images, canonical, provision, status, ImageUnknown

Recipes and their interface contracts: labs/images/recipes/<name>/ (CONTRACT.md).
"""

from .catalog import CATALOG, ImageSpec, canonical, known_images, spec
from .errors import EngineUnavailable, ImageUnknown, LabsImageError, ProvisionError
from .hashing import recipe_hash
from .provision import ProvisionResult, provision
from .status import ImageStatus, status

__all__ = [
    "CATALOG", "EngineUnavailable", "ImageSpec", "ImageStatus", "ImageUnknown", "LabsImageError",
    "ProvisionError", "ProvisionResult", "canonical", "known_images", "provision", "recipe_hash",
    "spec", "status",
]
