# デスクトップアプリ: トレイ、通知、ダイアログ。

tray-sync-now = 今すぐ同期
tray-open = 開く
tray-quit = 終了
tray-last-sync-never = 最終同期: まだありません
tray-last-sync = 最終同期: { $at }
notify-sync-cannot-start = 同期を開始できません
notify-cannot-sync = 同期できません
notify-monthly-written-title = 毎月の自動書き出し
notify-monthly-written-body = { $month }分を保存しました（{ $rows } 件）: { $path }
notify-monthly-failed-title = 毎月の自動書き出しに失敗しました
notify-monthly-failed-body = { $month }分を保存できませんでした。保存先フォルダー { $folder } があり書き込めるかを確かめるか、Kura の「設定」→「毎月の自動書き出し」で別のフォルダーを選んでください。次の同期のあとにもう一度試します。（{ $detail }）
dialog-save-closed = 保存ダイアログが答えを返さずに閉じました。もう一度お試しください。
dialog-folder-closed = フォルダーの選択ダイアログが答えを返さずに閉じました。もう一度お試しください。
dialog-unusable = 選ばれた場所を使えません。別の場所を選んでください。
month-label = { $year }年{ $month }月
