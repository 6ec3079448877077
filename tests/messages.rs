//! The grammar against OpenSSH's own message catalogue.
//!
//! `shared/reference/openssh-client-messages.tsv` lists every message the
//! client can log, with its level, whether a function-name prefix is added,
//! and the OpenSSH versions that have it. This test instantiates the format
//! strings (sample values for `%s`, `%d`, `%{ssh_err}` ...), adds the level
//! and function prefixes exactly as `log.c` does, and parses the lines.
//!
//! - `DIAGNOSTIC` lists the messages chosen as diagnostic: each must parse to
//!   its typed event, for every version that has it.
//! - The share of all user-visible messages (debug1 and above) that parse to a
//!   typed event is printed and must stay above `FLOOR`.

use std::collections::BTreeSet;

const TSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/reference/openssh-client-messages.tsv"
);

/// Raise this as the grammar grows.
const FLOOR: f64 = 0.20;

struct Row {
    level: String,
    prefix_func: bool,
    format: String,
    function: String,
    versions: Vec<String>,
}

fn rows() -> Option<Vec<Row>> {
    let text = std::fs::read_to_string(TSV).ok()?;
    Some(
        text.lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f.len() >= 6).then(|| Row {
                    level: f[0].to_string(),
                    prefix_func: f[1] == "yes",
                    format: f[2].to_string(),
                    function: f[3].to_string(),
                    versions: f[5].split(',').map(str::to_string).collect(),
                })
            })
            .collect(),
    )
}

/// Expands printf conversions with sample values.
fn instantiate(format: &str) -> String {
    let first = format.split("\\n").next().unwrap_or("");
    let first = first.strip_suffix("\\r").unwrap_or(first);
    let mut out = String::new();
    let mut chars = first.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        if chars.peek() == Some(&'{') {
            let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
            out.push_str(if name == "{ssh_err" {
                "Connection refused"
            } else {
                "error"
            });
            continue;
        }
        let mut spec = String::new();
        for c in chars.by_ref() {
            spec.push(c);
            if c.is_ascii_alphabetic() && !matches!(c, 'l' | 'h' | 'z' | 'j' | 't' | 'q') {
                break;
            }
        }
        let conv = spec.chars().last().unwrap_or('s');
        let sample = match conv {
            's' if out.ends_with("port ") => "2222",
            's' => "sample",
            'c' => "x",
            'f' | 'g' | 'e' => "1.5",
            'p' => "0x1",
            'x' | 'X' => "4000000",
            _ => "22",
        };
        out.push_str(sample);
    }
    out
}

/// The physical line ssh prints for a row.
fn line(row: &Row) -> Option<String> {
    let level = match row.level.as_str() {
        "debug1" | "verbose|debug1" | "error|debug1" | "info|debug1" => "debug1: ",
        "debug2" => "debug2: ",
        "debug3" | "info|debug3" => "debug3: ",
        "info" | "verbose" | "error" | "fatal" | "info|verbose" | "stderr" | "prompt"
        | "composed" => "",
        _ => return None,
    };
    let func = if row.prefix_func {
        format!("{}: ", row.function)
    } else {
        String::new()
    };
    Some(format!("{level}{func}{}", instantiate(&row.format)))
}

fn visible(row: &Row) -> bool {
    !matches!(
        row.level.as_str(),
        "debug2" | "debug3" | "disconnect" | "pktfatal" | "composed" | "prompt"
    )
}

fn kind_of(text: &str) -> String {
    sshexplain::event::snake_case(sshexplain::grammar::parse_text(text).1.name())
}

/// (function, format, function prefix, expected kind): the messages chosen as
/// diagnostic.
const DIAGNOSTIC: &[(&str, &str, bool, &str)] = &[
    ("ssh_agent_sign", "Agent admitted failure to sign using the key.", false, "signing_failed"),
    ("ssh_decrypt_challenge", "Agent admitted failure to authenticate using the key.", false, "signing_failed"),
    ("key_perm_ok", "@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @", false, "unprotected_key_banner"),
    ("key_perm_ok", "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@", false, "warning_block_text"),
    ("key_perm_ok", "It is required that your private key files are NOT accessible by others.", false, "unprotected_key_text"),
    ("key_perm_ok", "Permissions 0%3.3o for '%s' are too open.", false, "key_permissions_too_open"),
    ("key_perm_ok", "This private key will be ignored.", false, "unprotected_key_text"),
    ("sshkey_perm_ok", "@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @", false, "unprotected_key_banner"),
    ("sshkey_perm_ok", "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@", false, "warning_block_text"),
    ("sshkey_perm_ok", "It is required that your private key files are NOT accessible by others.", false, "unprotected_key_text"),
    ("sshkey_perm_ok", "Permissions 0%3.3o for '%s' are too open.", false, "key_permissions_too_open"),
    ("sshkey_perm_ok", "This private key will be ignored.", false, "unprotected_key_text"),
    ("get_sock_port", "getpeername failed: %.100s", false, "connect_detail"),
    ("get_sock_port", "getsockname failed: %.100s", false, "unix_socket_unsupported"),
    ("get_sock_port", "getnameinfo NI_NUMERICSERV failed: %s", true, "unix_socket_unsupported"),
    ("channel_free", "channel %d: free: %s, nchannels %u", false, "channel_free"),
    ("channel_input_open_failure", "channel %d: open failed: %s%s%s", false, "channel_open_failed"),
    ("channel_new", "channel %d: new %s [%s] (inactive timeout: %u)", false, "channel_new"),
    ("channel_new", "channel %d: new [%s]", false, "channel_new"),
    ("channel_post_mux_listener", "getpeereid failed: %s", true, "unix_socket_unsupported"),
    ("channel_post_port_listener", "Connection to port %d forwarding to %.100s port %d requested.", false, "forward_connection_requested"),
    ("channel_setup_fwd_listener", "Local forwarding listening on %s port %s.", false, "forward_listening"),
    ("channel_setup_fwd_listener", "bind: %.100s", false, "bind_failed"),
    ("channel_setup_fwd_listener", "cannot listen to port: %d", true, "cannot_listen"),
    ("channel_setup_fwd_listener_tcpip", "Local forwarding listening on %s port %s.", false, "forward_listening"),
    ("channel_setup_fwd_listener_tcpip", "bind [%s]:%s: %.100s", false, "bind_failed"),
    ("channel_setup_fwd_listener_tcpip", "bind: %.100s", false, "bind_failed"),
    ("channel_setup_fwd_listener_tcpip", "cannot listen to port: %d", true, "cannot_listen"),
    ("connect_next", "connect host %.100s ([%.100s]:%s) in progress, fd=%d", true, "connect_detail"),
    ("connect_next", "host %.100s ([%.100s]:%s) in progress, fd=%d", true, "connect_detail"),
    ("connect_next", "host %.100s ([%.100s]:%s): %.100s", true, "connect_detail"),
    ("connect_next", "start for host %.100s ([%.100s]:%s)", true, "connect_detail"),
    ("connect_next", "getnameinfo failed", true, "connect_detail"),
    ("connect_next", "set_nonblock(%d)", true, "connect_detail"),
    ("check_old_keys_othernames", "hostkeys_foreach failed for %s: %{ssh_err}", true, "host_key_lookup"),
    ("client_channel_reqest_agent_forwarding", "Requesting agent forwarding on channel %d via %s", false, "requesting"),
    ("client_global_hostkeys_prove_confirm", "server used untrusted RSA signature algorithm %s for key %zu, disregarding", true, "hostkeys_update"),
    ("client_global_hostkeys_prove_confirm", "parse sig: %{ssh_err}", true, "hostkeys_update"),
    ("client_global_hostkeys_prove_confirm", "protocol error", true, "hostkeys_update"),
    ("client_global_hostkeys_prove_confirm", "server gave bad signature for %s key %zu: %{ssh_err}", true, "hostkeys_update"),
    ("client_global_hostkeys_prove_confirm", "server gave unintelligible signature for %s key %zu: %{ssh_err}", true, "hostkeys_update"),
    ("client_global_hostkeys_prove_confirm", "compose signdata: %{ssh_err}", true, "hostkeys_update"),
    ("client_global_hostkeys_prove_confirm", "ctx->nnew == 0", true, "hostkeys_update"),
    ("client_global_hostkeys_prove_confirm", "ndone != ctx->nnew (%zu / %zu)", true, "hostkeys_update"),
    ("client_global_hostkeys_prove_confirm", "sshbuf_new failed", true, "hostkeys_update"),
    ("client_input_channel_req", "channel %d rtype %s reply %d", true, "channel_request"),
    ("client_input_channel_req", "channel %u rtype %s reply %d", true, "channel_request"),
    ("client_input_global_request", "rtype %s want_reply %d", true, "global_request"),
    ("client_input_hostkeys", "CA/revocation marker, manual host list or wildcard host pattern found, skipping UserKnownHostsFile update", true, "hostkeys_update"),
    ("client_input_hostkeys", "host key found matching a different name/address, skipping UserKnownHostsFile update", true, "hostkeys_update"),
    ("client_input_hostkeys", "hostkeys file %s does not exist", true, "hostkeys_update"),
    ("client_input_hostkeys", "key(s) for %s%s%s exist under other names; skipping UserKnownHostsFile update", true, "hostkeys_update"),
    ("client_input_hostkeys", "no new or deprecated keys from server", true, "hostkeys_update"),
    ("client_input_hostkeys", "searching %s for %s / %s", true, "hostkeys_update"),
    ("client_input_hostkeys", "server sent no hostkeys", true, "hostkeys_update"),
    ("client_input_hostkeys", "couldn't parse message: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "hostkeys_foreach failed for %s: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "hostkeys_foreach failed: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "parse key: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "received duplicated %s host key", true, "hostkeys_update"),
    ("client_input_hostkeys", "convert key: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "assemble hostkeys-prove: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "calloc failed", true, "hostkeys_update"),
    ("client_input_hostkeys", "cannot prepare packet: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "prepare hostkeys-prove: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "reallocarray failed nkeys = %zu", true, "hostkeys_update"),
    ("client_input_hostkeys", "recallocarray failed nkeys = %zu", true, "hostkeys_update"),
    ("client_input_hostkeys", "send hostkeys-prove: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "server already sent hostkeys", true, "hostkeys_update"),
    ("client_input_hostkeys", "sshbuf_new", true, "hostkeys_update"),
    ("client_input_hostkeys", "sshkey_putb: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "sshpkt_put_string: %{ssh_err}", true, "hostkeys_update"),
    ("client_input_hostkeys", "sshpkt_send: %{ssh_err}", true, "hostkeys_update"),
    ("client_loop", "Entering interactive session.", false, "entering_session"),
    ("client_loop", "Exit status %d", false, "exit_status"),
    ("client_loop", "pledge: disabled (PKCS11Provider active)", false, "pledge"),
    ("client_loop", "pledge: exec", false, "pledge"),
    ("client_loop", "pledge: filesystem", false, "pledge"),
    ("client_loop", "pledge: filesystem full", false, "pledge"),
    ("client_loop", "pledge: id", false, "pledge"),
    ("client_loop", "pledge: network", false, "pledge"),
    ("client_loop", "pledge: proc", false, "pledge"),
    ("client_loop", "Bytes per second: sent %.1f, received %.1f", false, "transferred"),
    ("client_loop", "Killed by signal %d.", false, "killed_by_signal"),
    ("client_loop", "Transferred: sent %llu, received %llu bytes, in %.1f seconds", false, "transferred"),
    ("client_loop", "send disconnect: %{ssh_err}", true, "send_disconnect_failed"),
    ("client_loop", "Connection to %.64s closed.\\r\\n", false, "connection_closed"),
    ("client_loop", "Connection to %s closed.", false, "connection_closed"),
    ("client_process_net_input", "Connection to %.300s closed by remote host.\\r\\n", false, "closed_by_remote"),
    ("client_process_net_input", "Connection to %s closed by remote host.", false, "closed_by_remote"),
    ("client_process_net_input", "Read from remote host %.300s: %.100s\\r\\n", false, "read_write_failed"),
    ("client_process_net_input", "Read from remote host %s: %{ssh_err}", false, "read_write_failed"),
    ("client_repledge", "pledge: agent", false, "pledge"),
    ("client_repledge", "pledge: fork", false, "pledge"),
    ("client_repledge", "pledge: network", false, "pledge"),
    ("client_request_tun_fwd", "Requesting tun unit %d in mode %d", false, "requesting"),
    ("client_send_env", "channel %d: setting env %s = \"%s\"", false, "sending_env"),
    ("client_session2_setup", "Sending command: %.*s", false, "sending_command"),
    ("client_session2_setup", "Sending env %s = %s", false, "sending_env"),
    ("client_session2_setup", "Sending environment.", false, "sending_env"),
    ("client_x11_get_proto", "Warning: No xauth data; using fake authentication data for X11 forwarding.", false, "x11_no_xauth"),
    ("hostkey_change_preamble", "The server has updated its host keys.", false, "hostkeys_update"),
    ("hostkey_change_preamble", "These changes were verified by the server's existing trusted key.", false, "hostkeys_update"),
    ("process_cmdline", "Bad forwarding specification.", false, "bad_argument"),
    ("process_cmdline", "Bad local forwarding specification.", false, "bad_argument"),
    ("process_cmdline", "Bad remote forwarding specification.", false, "bad_argument"),
    ("server_alive_check", "Timeout, server %s not responding.", false, "server_not_responding"),
    ("update_known_hosts", "known hosts file %s does not exist", true, "hostkeys_update"),
    ("update_known_hosts", "Deprecating obsolete hostkey: %s %s", false, "hostkeys_update"),
    ("update_known_hosts", "Learned new hostkey: %s %s", false, "hostkeys_update"),
    ("update_known_hosts", "hostfile_replace_entries failed for %s: %{ssh_err}", true, "hostkeys_update"),
    ("update_known_hosts", "hostfile_replace_entries failed: %{ssh_err}", true, "hostkeys_update"),
    ("update_known_hosts", "known hosts file %s inaccessible", true, "hostkeys_update"),
    ("update_known_hosts", "known hosts file %s inaccessible: %s", true, "hostkeys_update"),
    ("update_known_hosts", "sshkey_fingerprint failed", true, "hostkeys_update"),
    ("compat_banner", "match: %s pat %s compat 0x%08x", true, "compat_match"),
    ("compat_banner", "no match: %s", true, "compat_match"),
    ("compat_datafellows", "match: %s pat %s compat 0x%08x", false, "compat_match"),
    ("compat_datafellows", "no match: %s", false, "compat_match"),
    ("hostfile_create_user_ssh_dir", "Could not create directory '%.200s' (%s).", false, "known_hosts_add_failed"),
    ("hostfile_replace_entries", "hostkeys_foreach failed: %{ssh_err}", true, "host_key_lookup"),
    ("hostfile_replace_entries", "hostkeys_foreach: %{ssh_err}", true, "host_key_lookup"),
    ("hostkeys_foreach", "invalid marker at %s:%lu", true, "host_key_lookup"),
    ("hostkeys_foreach", "sshkey_new failed", true, "host_key_lookup"),
    ("load_hostkeys", "fopen %s: %s", true, "known_hosts_missing"),
    ("load_hostkeys", "hostkeys_foreach failed for %s: %{ssh_err}", true, "host_key_lookup"),
    ("load_hostkeys_file", "hostkeys_foreach failed for %s: %{ssh_err}", true, "host_key_lookup"),
    ("choose_comp", "no matching comp found: client %s server %s", false, "no_matching_algorithm"),
    ("choose_enc", "no matching cipher found: client %s server %s", false, "no_matching_algorithm"),
    ("choose_hostkeyalg", "kex: host key algorithm: %s", false, "kex_host_key_algorithm"),
    ("choose_kex", "kex: algorithm: %s", false, "kex_algorithm"),
    ("choose_mac", "no matching mac found: client %s server %s", false, "no_matching_algorithm"),
    ("kex_exchange_identification", "Local version string %.100s", false, "local_version"),
    ("kex_exchange_identification", "Remote protocol version %d.%d, remote software version %.100s", false, "remote_version"),
    ("kex_exchange_identification", "banner line %zu: %s", true, "banner_line"),
    ("kex_exchange_identification", "write: %.100s", true, "ident_read_failed"),
    ("kex_exchange_identification", "Connection closed by remote host", true, "ident_closed"),
    ("kex_exchange_identification", "banner line contains invalid characters", true, "ident_invalid"),
    ("kex_exchange_identification", "banner line too long", true, "ident_invalid"),
    ("kex_exchange_identification", "Connection timed out during banner exchange", false, "banner_timeout"),
    ("kex_exchange_identification", "Protocol major versions differ: %d vs. %d", false, "protocol_mismatch"),
    ("kex_exchange_identification", "read: %.100s", true, "ident_read_failed"),
    ("kex_ext_info_check_ver", "SSH2_MSG_EXT_INFO: %s value contains nul byte", false, "service_accept"),
    ("kex_finish", "SSH2_MSG_NEWKEYS received", false, "kex_message"),
    ("kex_finish", "SSH2_MSG_NEWKEYS sent", false, "kex_message"),
    ("kex_finish", "expecting SSH2_MSG_NEWKEYS", false, "kex_message"),
    ("kex_input_ext_info", "SSH2_MSG_EXT_INFO received", false, "service_accept"),
    ("kex_input_ext_info", "SSH2_MSG_EXT_INFO with too many entries, expected <=1024, received %u", false, "service_accept"),
    ("kex_input_kexinit", "SSH2_MSG_KEXINIT received", false, "kex_message"),
    ("kex_input_newkeys", "SSH2_MSG_NEWKEYS received", false, "kex_message"),
    ("kex_send_kexinit", "SSH2_MSG_KEXINIT sent", false, "kex_message"),
    ("kex_send_newkeys", "SSH2_MSG_NEWKEYS sent", false, "kex_message"),
    ("kex_send_newkeys", "expecting SSH2_MSG_NEWKEYS", false, "kex_message"),
    ("kexc25519_client", "expecting SSH2_MSG_KEX_ECDH_REPLY", false, "kex_message"),
    ("kexdh_client", "expecting SSH2_MSG_KEXDH_REPLY", false, "kex_message"),
    ("kexecdh_client", "expecting SSH2_MSG_KEX_ECDH_REPLY", false, "kex_message"),
    ("input_kex_gen_reply", "SSH2_MSG_KEX_ECDH_REPLY received", false, "kex_message"),
    ("kex_gen_client", "expecting SSH2_MSG_KEX_ECDH_REPLY", false, "kex_message"),
    ("input_kex_dh_gex_group", "SSH2_MSG_KEX_DH_GEX_GROUP received", false, "kex_message"),
    ("input_kex_dh_gex_group", "SSH2_MSG_KEX_DH_GEX_INIT sent", false, "kex_message"),
    ("input_kex_dh_gex_group", "expecting SSH2_MSG_KEX_DH_GEX_REPLY", false, "kex_message"),
    ("input_kex_dh_gex_reply", "SSH2_MSG_KEX_DH_GEX_REPLY received", false, "kex_message"),
    ("kexgex_client", "SSH2_MSG_KEX_DH_GEX_INIT sent", false, "kex_message"),
    ("kexgex_client", "SSH2_MSG_KEX_DH_GEX_REQUEST(%u<%u<%u) sent", false, "kex_message"),
    ("kexgex_client", "SSH2_MSG_KEX_DH_GEX_REQUEST_OLD(%u) sent", false, "kex_message"),
    ("kexgex_client", "expecting SSH2_MSG_KEX_DH_GEX_GROUP", false, "kex_message"),
    ("kexgex_client", "expecting SSH2_MSG_KEX_DH_GEX_REPLY", false, "kex_message"),
    ("key_load_public", "%{ssh_err}", true, "no_pubkey_loaded"),
    ("unix_listener", "\"%s\" too long for Unix domain socket", true, "unix_socket_unsupported"),
    ("unix_listener", "bind: %.100s", false, "bind_failed"),
    ("unix_listener", "cannot bind to path %s: %s", true, "unix_socket_unsupported"),
    ("unix_listener", "cannot bind to path: %s", true, "unix_socket_unsupported"),
    ("unix_listener", "cannot listen on path %s: %s", true, "unix_socket_unsupported"),
    ("unix_listener", "cannot listen on path: %s", true, "unix_socket_unsupported"),
    ("unix_listener", "path \"%s\" too long for Unix domain socket", true, "unix_socket_unsupported"),
    ("unix_listener", "socket: %.100s", true, "unix_socket_unsupported"),
    ("unset_nonblock", "fd %d clearing O_NONBLOCK", false, "connect_detail"),
    ("mux_client_forward", "Requesting %s %s", false, "requesting"),
    ("mux_client_forward", "forwarding request failed: %s", true, "mux_failure"),
    ("mux_client_forward", "decode error: %{ssh_err}", true, "mux_failure"),
    ("mux_client_forward", "decode port: %{ssh_err}", true, "mux_failure"),
    ("mux_client_forward", "decode: %{ssh_err}", true, "mux_failure"),
    ("mux_client_forward", "got MUX_S_REMOTE_PORT for cancel", true, "mux_info"),
    ("mux_client_forward", "out of sequence reply: my id %u theirs %u", true, "mux_info"),
    ("mux_client_forward", "parse error message: %{ssh_err}", true, "mux_failure"),
    ("mux_client_forward", "parse port: %{ssh_err}", true, "mux_failure"),
    ("mux_client_forward", "parse: %{ssh_err}", true, "mux_failure"),
    ("mux_client_forward", "request: %{ssh_err}", true, "mux_failure"),
    ("mux_client_forward", "sshbuf_new", true, "mux_info"),
    ("mux_client_forward", "unexpected response from master 0x%08x", true, "mux_info"),
    ("mux_client_forward", "write packet: %s", true, "mux_info"),
    ("mux_client_hello_exchange", "read packet failed", true, "mux_failure"),
    ("mux_client_hello_exchange", "write packet: %s", true, "mux_failure"),
    ("mux_client_hello_exchange", "expected HELLO (%u) got %u", true, "mux_info"),
    ("mux_client_hello_exchange", "expected HELLO (%u) received %u", true, "mux_info"),
    ("mux_client_hello_exchange", "malformed extension: %{ssh_err}", true, "mux_failure"),
    ("mux_client_hello_exchange", "parse extension: %{ssh_err}", true, "mux_failure"),
    ("mux_client_hello_exchange", "assemble hello: %{ssh_err}", true, "mux_failure"),
    ("mux_client_hello_exchange", "decode type: %{ssh_err}", true, "mux_failure"),
    ("mux_client_hello_exchange", "decode version: %{ssh_err}", true, "mux_failure"),
    ("mux_client_hello_exchange", "hello: %{ssh_err}", true, "mux_failure"),
    ("mux_client_hello_exchange", "parse type: %{ssh_err}", true, "mux_failure"),
    ("mux_client_hello_exchange", "parse version: %{ssh_err}", true, "mux_failure"),
    ("mux_client_hello_exchange", "sshbuf_new", true, "mux_info"),
    ("mux_client_read_packet", "buffer error: %{ssh_err}", true, "mux_failure"),
    ("mux_client_read_packet", "dequeue: %{ssh_err}", true, "mux_failure"),
    ("mux_client_read_packet", "sshbuf_new", true, "mux_info"),
    ("mux_client_request_alive", "assemble: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "decode PID: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "decode error: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "decode remote ID: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "decode type: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "master returned error: %s", true, "mux_failure"),
    ("mux_client_request_alive", "out of sequence reply: my id %u theirs %u", true, "mux_info"),
    ("mux_client_request_alive", "parse PID: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "parse error message: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "parse remote ID: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "parse type: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "request: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_alive", "sshbuf_new", true, "mux_info"),
    ("mux_client_request_alive", "write packet: %s", true, "mux_info"),
    ("mux_client_request_session", "master session id: %u", true, "mux_info"),
    ("mux_client_request_session", "master alive request failed", true, "mux_failure"),
    ("mux_client_request_session", "read from master failed: %s", true, "mux_failure"),
    ("mux_client_request_session", "session request failed: %s", true, "session_refused"),
    ("mux_client_request_session", "unexpected response from master 0x%08x", true, "mux_info"),
    ("mux_client_request_session", "decode ID: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "decode error: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "decode exit value: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "decode type: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "decode: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "exit on unknown session: my id %u theirs %u", true, "mux_info"),
    ("mux_client_request_session", "exitval sent twice", true, "mux_info"),
    ("mux_client_request_session", "master returned error: %s", true, "mux_failure"),
    ("mux_client_request_session", "out of sequence reply: my id %u theirs %u", true, "mux_info"),
    ("mux_client_request_session", "parse error message: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "parse exitval: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "parse session ID: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "parse type: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "parse: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "pledge(): %s", true, "mux_info"),
    ("mux_client_request_session", "request sendenv: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "request setenv: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "request: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_session", "send fds failed", true, "mux_failure"),
    ("mux_client_request_session", "sshbuf_new", true, "mux_info"),
    ("mux_client_request_session", "stdfd_devnull failed", true, "mux_failure"),
    ("mux_client_request_session", "tty alloc fail on unknown session: my id %u theirs %u", true, "mux_info"),
    ("mux_client_request_session", "write packet: %s", true, "mux_info"),
    ("mux_client_request_session", "Shared connection to %s closed.\\r\\n", false, "shared_connection_closed"),
    ("mux_client_request_stdio_fwd", "master session id: %u", true, "mux_info"),
    ("mux_client_request_stdio_fwd", "master alive request failed", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "read from master failed: %s", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "unexpected response from master 0x%08x", true, "mux_info"),
    ("mux_client_request_stdio_fwd", "decode ID: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "decode error: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "decode: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "master returned unexpected message %u", true, "mux_info"),
    ("mux_client_request_stdio_fwd", "mux_client_read_packet: %s", true, "mux_info"),
    ("mux_client_request_stdio_fwd", "out of sequence reply: my id %u theirs %u", true, "mux_info"),
    ("mux_client_request_stdio_fwd", "parse error message: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "parse session ID: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "parse: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "pledge(): %s", true, "mux_info"),
    ("mux_client_request_stdio_fwd", "request: %{ssh_err}", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "send fds failed", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "sshbuf_new", true, "mux_info"),
    ("mux_client_request_stdio_fwd", "stdfd_devnull failed", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "stdio forwarding request failed: %s", true, "mux_failure"),
    ("mux_client_request_stdio_fwd", "write packet: %s", true, "mux_info"),
    ("mux_client_write_packet", "enqueue: %{ssh_err}", true, "mux_failure"),
    ("mux_client_write_packet", "sshbuf_new", true, "mux_info"),
    ("mux_client_write_packet", "sshbuf_put_stringb: %{ssh_err}", true, "mux_failure"),
    ("mux_session_confirm", "Requesting X11 forwarding with authentication spoofing.", false, "requesting"),
    ("mux_session_confirm", "Requesting authentication agent forwarding.", false, "requesting"),
    ("muxclient", "Control socket \"%.100s\" does not exist", false, "mux_info"),
    ("muxclient", "auto-mux: Trying existing master", false, "mux_info"),
    ("muxclient", "auto-mux: Trying existing master at '%s'", false, "mux_info"),
    ("muxclient", "Control socket connect(%.100s): %s", false, "control_socket_connect"),
    ("muxclient", "master cancel forward request failed", true, "mux_failure"),
    ("muxclient", "master forward request failed", true, "mux_failure"),
    ("muxclient", "master hello exchange failed", true, "mux_failure"),
    ("muxclient", "info request failed", true, "mux_failure"),
    ("muxclient", "master alive check failed", true, "mux_failure"),
    ("muxclient", "socket(): %s", true, "mux_info"),
    ("muxclient", "Master running (pid=%d)\\r\\n", false, "mux_info"),
    ("muxclient", "Master running (pid=%u)\\r\\n", false, "mux_info"),
    ("muxserver_listen", "ControlSocket %s already exists, disabling multiplexing", false, "control_socket_exists"),
    ("(macro ssh_packet_check_eom)", "Packet integrity error (%d bytes remaining) at %s:%d", false, "transport_error"),
    ("packet_disconnect", "Disconnecting: %.100s", false, "disconnecting"),
    ("packet_read_poll2", "Bad packet length %u.", false, "bad_packet_length"),
    ("packet_read_poll2", "Corrupted MAC on input.", false, "corrupted_mac"),
    ("packet_read_poll_seqnr", "Remote: %.900s", false, "auth_banner"),
    ("packet_read_poll_seqnr", "Received disconnect from %s: %.400s", false, "received_disconnect"),
    ("packet_read_poll_seqnr", "Received disconnect from %s: %u: %.400s", false, "received_disconnect"),
    ("packet_read_seqnr", "Connection closed by %.200s", false, "connection_closed_by"),
    ("packet_write_poll", "Write failed: %.100s", false, "read_write_failed"),
    ("ssh_packet_disconnect", "Disconnecting %s: %.100s", false, "disconnecting"),
    ("ssh_packet_disconnect", "Disconnecting: %.100s", false, "disconnecting"),
    ("ssh_packet_read_poll2", "resetting read seqnr %u", true, "seqnr_reset"),
    ("ssh_packet_read_poll2", "Bad packet length %u.", false, "bad_packet_length"),
    ("ssh_packet_read_poll2", "Corrupted MAC on input.", false, "corrupted_mac"),
    ("ssh_packet_read_poll_seqnr", "Remote: %.900s", false, "auth_banner"),
    ("ssh_packet_read_poll_seqnr", "Received disconnect from %s port %d: %.400s", false, "received_disconnect"),
    ("ssh_packet_read_poll_seqnr", "Received disconnect from %s port %d:%u: %.400s", false, "received_disconnect"),
    ("ssh_packet_send2_wrapped", "resetting send seqnr %u", true, "seqnr_reset"),
    ("ssh_set_newkeys", "rekey %s after %llu blocks", false, "rekey"),
    ("ssh_set_newkeys", "rekey after %llu blocks", false, "rekey"),
    ("sshpkt_fatal", "Connection closed by %.200s port %d", false, "connection_closed_by"),
    ("sshpkt_fatal", "Connection closed by %s", false, "connection_closed_by"),
    ("sshpkt_fatal", "Connection reset by %.200s port %d", false, "connection_reset_by"),
    ("sshpkt_fatal", "Connection reset by %s", false, "connection_reset_by"),
    ("sshpkt_fatal", "Disconnected from %.200s port %d", false, "disconnected"),
    ("sshpkt_fatal", "Disconnected from %s", false, "disconnected"),
    ("sshpkt_vfatal", "Connection closed by %s", false, "connection_closed_by"),
    ("sshpkt_vfatal", "Connection reset by %s", false, "connection_reset_by"),
    ("sshpkt_vfatal", "Disconnected from %s", false, "disconnected"),
    ("(macro packet_check_eom)", "Packet integrity error (%d bytes remaining) at %s:%d", false, "transport_error"),
    ("process_config_line_depth", "Can't open user config file %.100s: %.100s", false, "config_open_failed"),
    ("read_config_file", "Reading configuration data %.200s", false, "reading_config"),
    ("read_config_file", "Bad owner or permissions on %s", false, "bad_config_permissions"),
    ("read_config_file_depth", "Reading configuration data %.200s", false, "reading_config"),
    ("read_config_file_depth", "Bad owner or permissions on %s", false, "bad_config_permissions"),
    ("read_passphrase", "requested to askpass", true, "askpass_requested"),
    ("ssh_askpass", "fflush: %s", true, "askpass_failed"),
    ("ssh_askpass", "fork: %s", true, "askpass_failed"),
    ("ssh_askpass", "pipe: %s", true, "askpass_failed"),
    ("ssh_askpass", "dup2: %s", true, "askpass_failed"),
    ("ssh_askpass", "exec(%s): %s", true, "askpass_failed"),
    ("sshsk_sign", "compose: %{ssh_err}", true, "security_key_error"),
    ("sshsk_sign", "encode key: %{ssh_err}", true, "security_key_error"),
    ("sshsk_sign", "parse signature: %{ssh_err}", true, "security_key_error"),
    ("sshsk_sign", "serialize private key: %{ssh_err}", true, "security_key_error"),
    ("sshsk_sign", "sshkey_fingerprint failed", true, "security_key_error"),
    ("sshsk_sign", "trailing data in response", true, "security_key_error"),
    ("load_public_identity_files", "identity file %s type %d", false, "identity_file"),
    ("main", "Setting implicit ProxyCommand from ProxyJump: %s", false, "proxy_jump_command"),
    ("main", "Authenticated to %s ([%s]:%d).", false, "authenticated_to"),
    ("main", "Authenticated to %s (via proxy).", false, "authenticated_to"),
    ("main", "Pseudo-terminal will not be allocated because stdin is not a terminal.", false, "pty_not_allocated"),
    ("main", "Could not create directory '%.200s'.", false, "known_hosts_add_failed"),
    ("main", "Bad dynamic forwarding specification '%s'\\n", false, "bad_argument"),
    ("main", "Bad escape character '%s'.\\n", false, "bad_argument"),
    ("main", "Bad local forwarding specification '%s'\\n", false, "bad_argument"),
    ("main", "Bad port '%s'\\n", false, "bad_argument"),
    ("main", "Bad remote forwarding specification '%s'\\n", false, "bad_argument"),
    ("main", "Bad stdio forwarding specification '%s'\\n", false, "bad_argument"),
    ("main", "Warning: Identity file %s not accessible: %s.\\n", false, "identity_not_accessible"),
    ("process_config_files", "Can't open user config file %.100s: %.100s", false, "config_open_failed"),
    ("resolve_canonicalize", "hostname %.100s is an unrecognised address", true, "canonicalize"),
    ("ssh_confirm_remote_forward", "Warning: remote port forwarding failed for listen port %d", false, "remote_forwarding_failed"),
    ("ssh_confirm_remote_forward", "Error: remote port forwarding failed for listen port %d", false, "remote_forwarding_failed"),
    ("ssh_init_forward_permissions", "bad port number in %s", true, "bad_argument"),
    ("ssh_init_forwarding", "Local connections to %.200s:%d forwarded to remote address %.200s:%d", false, "local_forward"),
    ("ssh_init_forwarding", "Remote connections from %.200s:%d forwarded to local address %.200s:%d", false, "remote_forward"),
    ("ssh_init_forwarding", "Warning: Could not request remote forwarding.", false, "remote_forwarding_failed"),
    ("ssh_init_forwarding", "Could not request local forwarding.", false, "local_forwarding_failed"),
    ("ssh_init_forwarding", "Could not request remote forwarding.", false, "remote_forwarding_failed"),
    ("ssh_session", "Requesting X11 forwarding with authentication spoofing.", false, "requesting"),
    ("ssh_session", "Requesting authentication agent forwarding.", false, "requesting"),
    ("ssh_session", "Requesting compression at level %d.", false, "requesting"),
    ("ssh_session", "Requesting pty.", false, "requesting"),
    ("ssh_session", "Requesting shell.", false, "requesting"),
    ("ssh_session", "Sending command: %.*s", false, "sending_command"),
    ("ssh_session", "Warning: Remote host denied X11 forwarding.", false, "remote_refused"),
    ("ssh_session", "Warning: Remote host denied authentication agent forwarding.", false, "remote_refused"),
    ("ssh_session", "Warning: Remote host failed or refused to allocate a pseudo tty.", false, "remote_refused"),
    ("ssh_session", "Warning: Remote host refused compression.", false, "remote_refused"),
    ("ssh_session2", "Requesting no-more-sessions@openssh.com", false, "requesting"),
    ("ssh_session2_setup", "Requesting X11 forwarding with authentication spoofing.", false, "requesting"),
    ("ssh_session2_setup", "Requesting authentication agent forwarding.", false, "requesting"),
    ("ssh_stdio_confirm", "stdio forwarding failed", false, "stdio_forwarding_failed"),
    ("usage", "usage: ssh [-1246AaCfGgKkMNnqsTtVvXxYy] [-b bind_address] [-c cipher_spec]\\n           [-D [bind_address:]port] [-E log_file] [-e escape_char]\\n           [-F configfile] [-I pkcs11] [-i identity_file]\\n           [-J [user@]host[:port]] [-L address] [-l login_name] [-m mac_spec]\\n           [-O ctl_cmd] [-o option] [-p port] [-Q query_option] [-R address]\\n           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\\n           [user@]hostname [command]\\n", false, "usage"),
    ("usage", "usage: ssh [-1246AaCfgKkMNnqsTtVvXxYy] [-b bind_address] [-c cipher_spec]\\n           [-D [bind_address:]port] [-E log_file] [-e escape_char]\\n           [-F configfile] [-I pkcs11] [-i identity_file]\\n           [-L [bind_address:]port:host:hostport] [-l login_name] [-m mac_spec]\\n           [-O ctl_cmd] [-o option] [-p port]\\n           [-Q cipher | cipher-auth | mac | kex | key]\\n           [-R [bind_address:]port:host:hostport] [-S ctl_path] [-W host:port]\\n           [-w local_tun[:remote_tun]] [user@]hostname [command]\\n", false, "usage"),
    ("usage", "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYyZ] [-B bind_interface] [-b bind_address]\\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\\n           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\\n           [-J destination] [-L address] [-l login_name] [-m mac_spec]\\n           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\\n           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\\n           destination [command [argument ...]]\\n       ssh [-Q query_option]\\n", false, "usage"),
    ("usage", "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]\\n           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]\\n           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]\\n           [-i identity_file] [-J [user@]host[:port]] [-L address]\\n           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]\\n           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]\\n           [-w local_tun[:remote_tun]] destination [command [argument ...]]\\n", false, "usage"),
    ("usage", "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]\\n           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]\\n           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]\\n           [-i identity_file] [-J [user@]host[:port]] [-L address]\\n           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]\\n           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]\\n           [-w local_tun[:remote_tun]] destination [command]\\n", false, "usage"),
    ("usage", "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\\n           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\\n           [-J destination] [-L address] [-l login_name] [-m mac_spec]\\n           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\\n           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\\n           destination [command [argument ...]]\\n       ssh [-Q query_option]\\n", false, "usage"),
    ("check_host_key", "Host '%.200s' is known and matches the %s host %s.", false, "host_key_known"),
    ("check_host_key", "No matching CA found. Retry with plain key", false, "no_matching_ca"),
    ("check_host_key", "checking without port identifier", false, "host_key_lookup"),
    ("check_host_key", "Failed to add the %s host key for IP address '%.128s' to the list of known hosts (%.30s).", false, "known_hosts_add_failed"),
    ("check_host_key", "Failed to add the %s host key for IP address '%.128s' to the list of known hosts (%.500s).", false, "known_hosts_add_failed"),
    ("check_host_key", "Failed to add the host to the list of known hosts (%.500s).", false, "known_hosts_add_failed"),
    ("check_host_key", "Host key fingerprint is %s\\n%s", false, "key_fingerprint_is"),
    ("check_host_key", "Host key fingerprint is %s\\n%s\\n", false, "key_fingerprint_is"),
    ("check_host_key", "Host key fingerprint is: %s\\n%s", false, "key_fingerprint_is"),
    ("check_host_key", "Warning: Permanently added '%.200s' (%s) to the list of known hosts.", false, "permanently_added"),
    ("check_host_key", "Warning: Permanently added the %s host key for IP address '%.128s' to the list of known hosts.", false, "permanently_added"),
    ("check_host_key", "@       WARNING: POSSIBLE DNS SPOOFING DETECTED!          @", false, "dns_spoofing_banner"),
    ("check_host_key", "@       WARNING: REVOKED HOST KEY DETECTED!               @", false, "warning_block_text"),
    ("check_host_key", "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@", false, "warning_block_text"),
    ("check_host_key", "Add correct host key in %.100s to get rid of this message.", false, "add_correct_host_key"),
    ("check_host_key", "Agent forwarding is disabled to avoid man-in-the-middle attacks.", false, "mitm_feature_disabled"),
    ("check_host_key", "Host key for %.200s has changed and you have requested strict checking.", false, "host_key_changed_strict"),
    ("check_host_key", "Keyboard-interactive authentication is disabled to avoid man-in-the-middle attacks.", false, "mitm_feature_disabled"),
    ("check_host_key", "No %s host key is known for %.200s and you have requested strict checking.", false, "host_key_unknown_strict"),
    ("check_host_key", "Offending %s key in %s:%lu", false, "offending_key"),
    ("check_host_key", "Offending key for IP in %s:%lu", false, "offending_ip_key"),
    ("check_host_key", "Password authentication is disabled to avoid man-in-the-middle attacks.", false, "mitm_feature_disabled"),
    ("check_host_key", "Port forwarding is disabled to avoid man-in-the-middle attacks.", false, "mitm_feature_disabled"),
    ("check_host_key", "UpdateHostkeys is disabled because the host key is not trusted.", false, "mitm_feature_disabled"),
    ("check_host_key", "X11 forwarding is disabled to avoid man-in-the-middle attacks.", false, "mitm_feature_disabled"),
    ("hostkeys_find_by_key_cb", "found matching key in %s:%lu", true, "host_key_lookup"),
    ("hostkeys_find_by_key_hostfile", "hostkeys file %s does not exist", true, "host_key_lookup"),
    ("hostkeys_find_by_key_hostfile", "hostkeys_foreach failed for %s: %{ssh_err}", true, "host_key_lookup"),
    ("send_client_banner", "Local version string %.100s", false, "local_version"),
    ("ssh_connect", "dup() in/out failed", true, "connect_detail"),
    ("ssh_connect_direct", "Connecting to %.200s [%.100s] port %s.", false, "connecting"),
    ("ssh_connect_direct", "Connection established.", false, "connected"),
    ("ssh_connect_direct", "connect to address %s port %s: %s", false, "connect_address_failed"),
    ("ssh_connect_direct", "getnameinfo failed", true, "connect_detail"),
    ("ssh_connect_direct", "ssh: connect to host %s port %s: %s", false, "connect_failed"),
    ("ssh_connect_direct", "ssh_connect: getnameinfo failed", false, "connect_detail"),
    ("ssh_create_socket", "bound to %s", true, "connect_detail"),
    ("ssh_create_socket", "addr doesn't fit", true, "connect_detail"),
    ("ssh_create_socket", "bind %s: %s", false, "bind_failed"),
    ("ssh_create_socket", "bind: %s: %s", false, "bind_failed"),
    ("ssh_create_socket", "getnameinfo failed: %s", true, "connect_detail"),
    ("ssh_exchange_identification", "Remote protocol version %d.%d, remote software version %.100s", false, "remote_version"),
    ("ssh_exchange_identification", "Connection closed by remote host", true, "ident_closed"),
    ("ssh_exchange_identification", "Connection timed out during banner exchange", false, "banner_timeout"),
    ("ssh_exchange_identification", "No banner received", true, "ident_invalid"),
    ("ssh_exchange_identification", "Protocol major versions differ: %d vs. %d", false, "protocol_mismatch"),
    ("ssh_exchange_identification", "read: %.100s", true, "ident_read_failed"),
    ("ssh_login", "Authenticating to %s:%d as '%s'", false, "authenticating_as"),
    ("ssh_proxy_connect", "Executing proxy command: %.500s", false, "proxy_command_exec"),
    ("ssh_proxy_fdpass_connect", "Executing proxy dialer command: %.500s", false, "proxy_command_exec"),
    ("verify_host_key", "Server host certificate: %s %s, serial %llu ID \"%s\" CA %s %s valid %s", false, "server_host_certificate"),
    ("verify_host_key", "Server host key: %s %s", false, "server_host_key"),
    ("warn_changed_key", "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @", false, "host_key_changed_banner"),
    ("warn_changed_key", "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@", false, "warning_block_text"),
    ("warn_changed_key", "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!", false, "warning_block_text"),
    ("warn_changed_key", "It is also possible that a host key has just been changed.", false, "warning_block_text"),
    ("warn_changed_key", "Please contact your system administrator.", false, "warning_block_text"),
    ("warn_changed_key", "Someone could be eavesdropping on you right now (man-in-the-middle attack)!", false, "warning_block_text"),
    ("warn_changed_key", "The fingerprint for the %s key sent by the remote host is\\n%s.", false, "fingerprint_intro"),
    ("warn_nonpq_kex", "** The server may need to be upgraded. See https://openssh.com/pq.html", false, "post_quantum_detail"),
    ("warn_nonpq_kex", "** This session may be vulnerable to \"store now, decrypt later\" attacks.", false, "post_quantum_detail"),
    ("warn_nonpq_kex", "** WARNING: connection is not using a post-quantum key exchange algorithm.", false, "post_quantum_warning"),
    ("ssh_kex", "Host key verification failed.", false, "host_key_verification_failed"),
    ("try_challenge_response_authentication", "Permission denied, please try again.", false, "password_retry"),
    ("try_password_authentication", "Permission denied, please try again.", false, "password_retry"),
    ("authmethod_get", "Next authentication method: %s", false, "next_auth_method"),
    ("authmethod_get", "No more authentication methods to try.", false, "no_more_auth_methods"),
    ("get_agent_identities", "agent returned %zu keys", true, "agent_keys"),
    ("get_agent_identities", "bound agent to hostkey", true, "agent_bound"),
    ("get_agent_identities", "ssh_fetch_identitylist: %{ssh_err}", true, "agent_unavailable"),
    ("get_agent_identities", "ssh_get_authentication_socket: %{ssh_err}", true, "agent_unavailable"),
    ("identity_sign", "sshkey_sign: %{ssh_err}", true, "security_key_error"),
    ("input_userauth_failure", "Authentications that can continue: %s", false, "auths_can_continue"),
    ("input_userauth_failure", "Authenticated using \"%s\" with partial success.", false, "partial_success"),
    ("input_userauth_failure", "Authenticated with partial success.", false, "partial_success"),
    ("input_userauth_info_req", "asmprintf failed", true, "auth_refused_detail"),
    ("input_userauth_info_req", "no authentication context", true, "auth_refused_detail"),
    ("input_userauth_pk_ok", "Server accepts key: %s", false, "server_accepts_key"),
    ("input_userauth_pk_ok", "Server accepts key: pkalg %s blen %u", false, "server_accepts_key"),
    ("input_userauth_service_accept", "SSH2_MSG_SERVICE_ACCEPT received", false, "service_accept"),
    ("load_identity_file", "Skipping key %s: %{ssh_err}", true, "skipping_key"),
    ("load_identity_file", "no such identity: %s: %s", false, "no_such_identity"),
    ("load_identity_file", "Load key \"%s\": %{ssh_err}", false, "load_key_failed"),
    ("pubkey_prepare", "Skipping %s key %s - corresponding algo not in PubkeyAcceptedAlgorithms", false, "skipping_key"),
    ("pubkey_prepare", "Skipping %s key %s - corresponding algorithm not in PubkeyAcceptedAlgorithms", false, "skipping_key"),
    ("pubkey_prepare", "Skipping %s key %s - corresponding algorithm not supported by server", false, "skipping_key"),
    ("pubkey_prepare", "Skipping %s key %s - not in PubkeyAcceptedKeyTypes", false, "skipping_key"),
    ("pubkey_prepare", "Will attempt key: %s", false, "will_attempt_key"),
    ("pubkey_prepare", "ssh_fetch_identitylist: %{ssh_err}", true, "agent_unavailable"),
    ("pubkey_prepare", "ssh_get_authentication_socket: %{ssh_err}", true, "agent_unavailable"),
    ("send_pubkey_test", "no mutual signature algorithm", true, "no_mutual_signature"),
    ("sign_and_send_pubkey", "no mutual signature supported", true, "no_mutual_signature"),
    ("sign_and_send_pubkey", "signing failed for %s \"%s\"%s: %{ssh_err}", true, "signing_failed"),
    ("sign_and_send_pubkey", "signing failed: %{ssh_err}", true, "signing_failed"),
    ("sign_and_send_pubkey", "userauth_pubkey: internal error", false, "auth_refused_detail"),
    ("ssh_userauth2", "Authentication succeeded (%s).", false, "auth_succeeded"),
    ("ssh_userauth2", "SSH2_MSG_SERVICE_ACCEPT received", false, "service_accept"),
    ("ssh_userauth2", "SSH2_MSG_SERVICE_REQUEST sent", false, "kex_message"),
    ("ssh_userauth2", "Authenticated to %s ([%s]:%d) using \"%s\".", false, "authenticated_to"),
    ("ssh_userauth2", "Authenticated to %s (via proxy) using \"%s\".", false, "authenticated_to"),
    ("userauth", "Permission denied (%s).", false, "permission_denied"),
    ("userauth_passwd", "Permission denied, please try again.", false, "password_retry"),
    ("userauth_pubkey", "Offering %s public key: %s", false, "offering_key"),
    ("userauth_pubkey", "Offering public key: %s", false, "offering_key"),
    ("userauth_pubkey", "Trying private key: %s", false, "trying_private_key"),
    ("verify_host_key_callback", "Host key verification failed.", false, "host_key_verification_failed"),
];

#[test]
fn diagnostic_messages_parse_to_their_events() {
    let Some(rows) = rows() else {
        println!("skipped: {TSV} is not present in this checkout");
        return;
    };
    let mut failures = Vec::new();
    for (function, format, prefixed, expected) in DIAGNOSTIC {
        let matching: Vec<&Row> = rows
            .iter()
            .filter(|r| {
                r.function == *function && r.format == *format && r.prefix_func == *prefixed
            })
            .collect();
        assert!(
            !matching.is_empty(),
            "no catalogue row for {function}: {format}"
        );
        for row in matching {
            for version in &row.versions {
                let Some(text) = line(row) else { continue };
                let got = kind_of(&text);
                if got != *expected {
                    failures.push(format!(
                        "{version} {function}: `{text}` → {got}, expected {expected}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        DIAGNOSTIC.len() >= 150,
        "only {} diagnostic messages listed",
        DIAGNOSTIC.len()
    );
}

#[test]
fn share_of_visible_messages_with_a_typed_event() {
    let Some(rows) = rows() else {
        println!("skipped: {TSV} is not present in this checkout");
        return;
    };
    let mut all = BTreeSet::new();
    let mut typed = BTreeSet::new();
    for row in rows.iter().filter(|r| visible(r)) {
        let Some(text) = line(row) else { continue };
        all.insert((row.function.clone(), row.format.clone()));
        let kind = kind_of(&text);
        if kind != "other" && kind != "text" {
            typed.insert((row.function.clone(), row.format.clone()));
            if std::env::var_os("SSHEXPLAIN_PRINT_MESSAGES").is_some() {
                println!(
                    "TYPED\t{}\t{}\t{}\t{}\t{}",
                    kind, row.function, row.format, row.prefix_func, text
                );
            }
        } else if std::env::var_os("SSHEXPLAIN_PRINT_MESSAGES").is_some() {
            println!(
                "UNTYPED\t{}\t{}\t{}\t{}",
                row.level, row.function, row.format, text
            );
        }
    }
    let share = typed.len() as f64 / all.len().max(1) as f64;
    println!(
        "{} of {} user-visible client messages (debug1 and above) parse to a typed event: {:.1}%",
        typed.len(),
        all.len(),
        share * 100.0
    );
    assert!(
        share >= FLOOR,
        "share {share:.3} fell below the floor {FLOOR}"
    );
}
