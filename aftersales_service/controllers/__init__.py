from . import portal
from . import rating
from . import sale_portal
from . import service_points
