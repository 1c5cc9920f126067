# only comments

   # indented comment

	
