from . import aftersales_warranty_void
from . import aftersales_warranty_extend
