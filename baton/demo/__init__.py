"""The demo workspace (`baton demo`): the shop 小熊猫旗舰店 from the seed's e-commerce scenarios
(Worktile's e-commerce solution), built through the same services people use through the pages.
It is an app of its own, above every domain app, because it writes projects, calendars and
documents alike; the scenarios are data (one module each) and `build.py` is the only code that
turns them into rows."""
