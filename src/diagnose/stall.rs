//! Where a connection is stuck when its output stops: the interim finding
//! shown while `ssh -v ... | sshexplain` waits for the next line.

use crate::event::EventKind as K;
use crate::lang::Lang;
use crate::tr;
use crate::trace::{Phase, Trace};

/// A short explanation of what a pause at this point usually means, with
/// the thing to try.
pub fn stall_hint(trace: &Trace, waited_ms: u64, lang: Lang) -> String {
    let secs = waited_ms / 1000;
    let what = stopped_at(trace, lang).unwrap_or(match trace.phase {
        Some(Phase::Session) => lang.pick(
            "connected: you are in the remote shell, and its output goes into this pipe, so you type blind. Type `exit` (next time put `exit` after the host: `ssh -v user@host exit 2>&1 | sshexplain`). If a command is running, no output is normal.",
            "接続しました。リモートのシェルの中にいて、その出力はこのパイプに流れるので画面には出ません。`exit` と打ちます（次からはホストの後に `exit` を付けます: `ssh -v user@host exit 2>&1 | sshexplain`）。コマンドの実行中なら、出力がないのは普通です。",
        ),
        _ => lang.pick("no new output.", "新しい出力がありません。"),
    });
    tr!(
        lang,
        "no output for {secs} s: {what}",
        "{secs} 秒間出力なし: {what}"
    )
}

/// What it usually means when the output stops after the trace's last
/// significant line, if that position says anything.
pub fn stopped_at(trace: &Trace, lang: Lang) -> Option<&'static str> {
    let last = trace.last_significant();
    let (en, ja) = match last.map(|n| n.kind()) {
        Some(K::KexMessage { expecting: true, .. }) | Some(K::KexMessage { sent: true, .. }) => (
            "stuck in the key exchange, waiting for the server's reply: large packets are probably dropped on the way (path MTU, VPN). Try `-o KexAlgorithms=curve25519-sha256`, or lower the interface MTU.",
            "鍵交換でサーバーの返事を待ったまま止まっています。途中で大きなパケットが捨てられている可能性が高いです（経路 MTU、VPN）。`-o KexAlgorithms=curve25519-sha256` を試すか、インターフェースの MTU を下げます。",
        ),
        Some(K::Connecting { .. }) | Some(K::ConnectAddressFailed { .. }) => (
            "stuck connecting: no answer to the TCP connection, so a firewall is probably dropping packets, or the address is wrong. Add `-o ConnectTimeout=10` to fail fast.",
            "接続中で止まっています。TCP 接続に応答がないので、ファイアウォールがパケットを捨てているか、アドレスが間違っている可能性が高いです。すぐ失敗させるには `-o ConnectTimeout=10` を付けます。",
        ),
        Some(K::NextAuthMethod { method }) if method.starts_with("gssapi") => (
            "stuck in GSSAPI (Kerberos) authentication: without a reachable KDC this waits for timeouts. Use `-o GSSAPIAuthentication=no`.",
            "GSSAPI（Kerberos）認証で止まっています。届く KDC がないと、タイムアウトまで待ち続けます。`-o GSSAPIAuthentication=no` を使います。",
        ),
        Some(K::NextAuthMethod { method }) if method == "password" || method == "keyboard-interactive" => (
            "ssh is waiting for you to answer a prompt (password or code) on the terminal.",
            "ssh は端末でのプロンプト（パスワードや確認コード）への入力を待っています。",
        ),
        Some(K::ServiceAccept {}) | Some(K::AuthenticatingAs { .. }) | Some(K::KexMessage { .. }) => (
            "stuck after the first authentication request: the server is slow to answer, usually its reverse DNS lookup of your address (`UseDNS yes`) or a slow PAM module.",
            "最初の認証要求の後で止まっています。サーバーの応答が遅く、たいていは接続元アドレスの逆引き（`UseDNS yes`）か遅い PAM モジュールが原因です。",
        ),
        Some(K::HostAuthenticityUnknown { .. }) | Some(K::KeyFingerprintIs { .. }) | Some(K::ServerHostKey { .. }) => (
            "ssh is asking whether to trust the server's host key (answer on the terminal).",
            "ssh はサーバーのホスト鍵を信頼するかどうかを尋ねています（端末で答えます）。",
        ),
        Some(K::ServerAcceptsKey { .. }) => (
            "ssh is waiting for the key's passphrase (or a security key touch).",
            "ssh は鍵のパスフレーズ（またはセキュリティキーへのタッチ）を待っています。",
        ),
        Some(K::AskpassRequested {}) | Some(K::PasswordPrompt { .. }) | Some(K::PassphrasePrompt { .. }) => (
            "ssh asked for a password, passphrase or code and is waiting for the answer (from you, or from its askpass program).",
            "ssh はパスワード、パスフレーズまたは確認コードを求め、その答え（あなたか askpass プログラムからの）を待っています。",
        ),
        Some(K::Connected {}) | Some(K::LocalVersion { .. }) => (
            "connected, but the server has not sent its SSH banner: an overloaded sshd, a middlebox holding the connection, or a service that is not SSH.",
            "接続はしましたが、サーバーが SSH のバナーを送ってきません。sshd の過負荷、接続を抱え込んでいる中継機器、または SSH ではないサービスが考えられます。",
        ),
        _ => return None,
    };
    Some(lang.pick(en, ja))
}

#[cfg(test)]
mod tests {
    use super::stall_hint;
    use crate::lang::Lang;

    #[test]
    fn hints_by_position() {
        let t = crate::trace(
            "debug1: SSH2_MSG_KEXINIT sent\ndebug1: expecting SSH2_MSG_KEX_ECDH_REPLY\n",
        );
        assert!(stall_hint(&t, 10_000, Lang::En).contains("MTU"));
        let t = crate::trace("debug1: Connecting to h [10.0.0.1] port 22.\n");
        assert!(stall_hint(&t, 10_000, Lang::En).contains("firewall"));
        let t = crate::trace("debug1: Next authentication method: gssapi-with-mic\n");
        assert!(stall_hint(&t, 12_000, Lang::En).contains("GSSAPIAuthentication=no"));
        let t = crate::trace("debug1: SSH2_MSG_SERVICE_ACCEPT received\n");
        assert!(stall_hint(&t, 12_000, Lang::En).contains("UseDNS"));
        assert!(stall_hint(&t, 12_000, Lang::Ja).contains("逆引き"));
    }
}
