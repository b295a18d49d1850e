from . import portal
from . import rating
from . import sale_portal
