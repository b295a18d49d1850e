from . import test_warranty_registration
from . import test_warranty_actions
from . import test_warranty_check_serial
from . import test_warranty_cron
from . import test_warranty_report
from . import test_warranty_rights
from . import test_warranty_performance
