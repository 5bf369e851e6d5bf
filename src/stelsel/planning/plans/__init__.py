"""Plans and their themes: the services that write them, the list and the plan page, and the
forms that start, change and carry on a plan."""
