def tabbed():
	if x:
		return 1
	return 2


def tab_after_spaces():
    	value = 1
    	return value
