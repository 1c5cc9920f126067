from sources import common

WISHLIST = common.days(7, 30)
