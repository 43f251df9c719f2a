#!/usr/bin/env python
import gc
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Start-up (settings, apps, models, the admin) creates a few hundred thousand objects that live as
    # long as the process. The cyclic collector would walk them again and again while they are being
    # created, and once more at exit; it is paused until the apps are loaded, then they are frozen out of
    # every later collection (gc.freeze), so a command pays for collecting only its own objects.
    gc.disable()
    from django.core.management import ManagementUtility

    class Utility(ManagementUtility):
        def fetch_command(self, subcommand):
            # Called once django.setup() has loaded the apps, before the command runs.
            gc.freeze()
            gc.enable()
            return super().fetch_command(subcommand)

    Utility(sys.argv).execute()


if __name__ == "__main__":
    main()
