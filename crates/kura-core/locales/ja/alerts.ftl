# 通知（デスクトップアプリ）: 連携の同意・再認証・同期の失敗。

alert-consent-soon-title = 同意の期限が近づいています
alert-consent-soon-body = { $union }の連携の同意は{ $on }に切れます（{ $days ->
        [0] あと1日未満
       *[other] あと{ $days }日
    }）。Kura の「連携」から再認証すると同期が続きます。
alert-consent-ended-title = 同意の期限が切れました
alert-consent-ended-body = { $union }の連携の同意は{ $on }に切れました。Kura の「連携」から再認証すると同期を再開できます。
alert-reauth-title = 再認証が必要です
alert-reauth-body = { $union }の連携は、組合でログインし直す必要があります。Kura の「連携」から再認証してください。保存済みの明細は残ります。
alert-failing-title = 同期に失敗し続けています
alert-failing-body = { $union }の同期が6時間以上失敗しています。Kura の同期ログを確認してください。
