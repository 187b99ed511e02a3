# The desktop app: tray, notifications, dialogs.

tray-sync-now = Sync now
tray-open = Open
tray-quit = Quit
tray-last-sync-never = Last sync: never
tray-last-sync = Last sync: { $at }
notify-sync-cannot-start = Syncing cannot start
notify-cannot-sync = Cannot sync
notify-monthly-written-title = Monthly export
notify-monthly-written-body = Saved { $month } ({ $rows } rows): { $path }
notify-monthly-failed-title = Monthly export failed
notify-monthly-failed-body = { $month } could not be saved. Check that the folder { $folder } exists and can be written to, or choose another under Settings → Monthly export in Kura. Kura tries again after the next sync. ({ $detail })
dialog-save-closed = The save dialog closed without an answer. Try again.
dialog-folder-closed = The folder dialog closed without an answer. Try again.
dialog-unusable = The chosen place cannot be used. Choose another.
month-label = { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }
