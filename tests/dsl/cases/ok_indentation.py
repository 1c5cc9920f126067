def outer():
    def middle():
        def inner():
            if a:
                if b:
                    return 1
    # a comment at another depth
        

  # and another
    return middle
x = 1
