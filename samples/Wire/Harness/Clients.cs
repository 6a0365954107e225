using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Wire;

/// <summary>How one client's close ended. <see cref="Completed"/>: the close handshake finished cleanly.</summary>
sealed record Outcome(bool Completed, int? Code, string Text, double Milliseconds)
{
    public override string ToString() => $"{Text} ({Milliseconds:0} ms)";
}

static class DotnetClient
{
    /// <summary>
    /// Connect and only listen, for a server that ends the connection itself: receive until its Close arrives and
    /// answer it (a clean close, with the server's code), or until the receive fails (5 s at most).
    /// </summary>
    public static async Task<Outcome> ListenAsync(int port)
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), timeout.Token);
        var clock = Stopwatch.StartNew();
        var buffer = new byte[256];
        try
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            clock.Restart();
            while (result.MessageType != WebSocketMessageType.Close)
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
            }

            await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, timeout.Token);
            var code = (int?)result.CloseStatus;
            return new Outcome(true, code, $"closed, {code} \"{result.CloseStatusDescription}\"", clock.Elapsed.TotalMilliseconds);
        }
        catch (WebSocketException e)
        {
            return new Outcome(false, null, $"WebSocketException {e.WebSocketErrorCode}", clock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            return new Outcome(false, null, "timeout (5 s)", clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>Connect, send "hello", read the echo, then CloseAsync(4000, "bye") with a 3 s timeout.</summary>
    public static async Task<Outcome> RunAsync(int port)
    {
        using var socket = new ClientWebSocket();
        using (var setup = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), setup.Token);
            await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, setup.Token);
            var buffer = new byte[256];
            WebSocketReceiveResult echo;
            do
            {
                echo = await socket.ReceiveAsync(buffer, setup.Token);
            }
            while (!echo.EndOfMessage);
        }

        return await CloseAsync(socket);
    }

    /// <summary>CloseAsync(4000, "bye") with a 3 s timeout.</summary>
    public static async Task<Outcome> CloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var clock = Stopwatch.StartNew();
        try
        {
            await socket.CloseAsync((WebSocketCloseStatus)4000, "bye", timeout.Token);
            var code = (int?)socket.CloseStatus;
            return new Outcome(true, code, $"closed, {code} \"{socket.CloseStatusDescription}\"", clock.Elapsed.TotalMilliseconds);
        }
        catch (WebSocketException e)
        {
            return new Outcome(false, null, $"WebSocketException {e.WebSocketErrorCode}", clock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            return new Outcome(false, null, "timeout (3 s)", clock.Elapsed.TotalMilliseconds);
        }
    }
}

/// <summary>The messages a server sent back, and how the close after them ended.</summary>
sealed record Replies(IReadOnlyList<string> Messages, Outcome Close)
{
    public override string ToString()
        => $"{Messages.Count} message(s): {string.Join(", ", Messages.Select(m => $"\"{m}\""))}; {Close}";
}

static class FragmentClient
{
    /// <summary>
    /// Connect, send "hello" as one message in two fragments ("hel" with endOfMessage false, "lo" with true), then
    /// "end" whole; read whole messages (its own side assembles them) until one ends with "end", then close as
    /// <see cref="DotnetClient"/> does.
    /// </summary>
    public static async Task<Replies> RunAsync(int port)
    {
        using var socket = new ClientWebSocket();
        var messages = new List<string>();
        using (var setup = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), setup.Token);
            await socket.SendAsync("hel"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: false, setup.Token);
            await socket.SendAsync("lo"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, setup.Token);
            await socket.SendAsync("end"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, setup.Token);
            var buffer = new byte[256];
            while (messages.Count == 0 || !messages[^1].EndsWith("end", StringComparison.Ordinal))
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult piece;
                do
                {
                    piece = await socket.ReceiveAsync(buffer, setup.Token);
                    message.Write(buffer, 0, piece.Count);
                }
                while (!piece.EndOfMessage);

                if (piece.MessageType == WebSocketMessageType.Close)
                {
                    return new Replies(messages, new Outcome(false, (int?)piece.CloseStatus, "server closed first", 0));
                }

                messages.Add(Encoding.UTF8.GetString(message.ToArray()));
            }
        }

        return new Replies(messages, await DotnetClient.CloseAsync(socket));
    }
}

/// <summary>One headless Chromium for the whole run, driven over the DevTools protocol.</summary>
sealed class Chromium : IAsyncDisposable
{
    private static readonly Regex DevTools = new(@"DevTools listening on (ws://127\.0\.0\.1:\d+/\S+)");
    private readonly ChildProcess _process;
    private readonly Cdp _cdp;
    private readonly string _profile;

    private Chromium(ChildProcess process, Cdp cdp, string profile)
    {
        _process = process;
        _cdp = cdp;
        _profile = profile;
    }

    public static async Task<Chromium> StartAsync(string executable, string workDirectory)
    {
        var profile = Directory.CreateTempSubdirectory("wire-chromium-").FullName;
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--remote-debugging-port=0",
            "about:blank",
        ];
        var (process, ready) = await ChildProcess.StartAsync("chromium", executable, arguments, DevTools, TimeSpan.FromSeconds(60));
        try
        {
            var cdp = await Cdp.ConnectAsync(new Uri(ready.Groups[1].Value), TimeSpan.FromSeconds(10));
            var version = await cdp.CallAsync("Browser.getVersion");
            Console.WriteLine($"chromium: {version.GetProperty("product").GetString()} (pid {process.Id})");
            return new Chromium(process, cdp, profile);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The page (served from the loopback by <see cref="PageServer"/>) opens ws://127.0.0.1:port/ws, sends "hello",
    /// calls close(4000, "bye") when the echo arrives, and stores its CloseEvent; the harness polls for it (15 s at most).
    /// With mode=listen it sends nothing and never closes: the server ends the connection (ms from its first message).
    /// </summary>
    public const string Page = """
        <!doctype html><title>wire</title><script>
        window.wire = null;
        let started = 0, errored = false;
        const query = new URLSearchParams(location.search), listen = query.get("mode") === "listen";
        const ws = new WebSocket("ws://127.0.0.1:" + query.get("port") + "/ws");
        ws.onopen = () => { if (!listen) ws.send("hello"); };
        ws.onmessage = () => { if (!started) { started = performance.now(); if (!listen) ws.close(4000, "bye"); } };
        ws.onerror = () => { errored = true; };
        ws.onclose = e => { window.wire = { code: e.code, reason: e.reason, wasClean: e.wasClean, errored, ms: started ? performance.now() - started : -1 }; };
        </script>
        """;

    public async Task<Outcome> RunAsync(Uri page, int port, bool listen = false)
    {
        var target = await _cdp.CallAsync("Target.createTarget", new JsonObject { ["url"] = $"{page}?port={port}{(listen ? "&mode=listen" : "")}" });
        var targetId = target.GetProperty("targetId").GetString()!;
        try
        {
            var attached = await _cdp.CallAsync("Target.attachToTarget", new JsonObject { ["targetId"] = targetId, ["flatten"] = true });
            var session = attached.GetProperty("sessionId").GetString();
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                var evaluated = await _cdp.CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = "window.wire ? JSON.stringify(window.wire) : ''", ["returnByValue"] = true }, session);
                var value = evaluated.GetProperty("result").TryGetProperty("value", out var v) ? v.GetString() : null;
                if (!string.IsNullOrEmpty(value))
                {
                    var e = JsonDocument.Parse(value).RootElement;
                    var code = e.GetProperty("code").GetInt32();
                    var clean = e.GetProperty("wasClean").GetBoolean();
                    var reason = e.GetProperty("reason").GetString();
                    var error = e.GetProperty("errored").GetBoolean() ? ", error event" : "";
                    var ms = e.GetProperty("ms").GetDouble();
                    var before = ms < 0 ? ", before the page could call close()" : "";
                    return new Outcome(clean, code, $"{code} \"{reason}\", wasClean {(clean ? "true" : "false")}{error}{before}", Math.Max(ms, 0));
                }

                await Task.Delay(50);
            }

            return new Outcome(false, null, "no CloseEvent within 15 s", deadline.Elapsed.TotalMilliseconds);
        }
        finally
        {
            await _cdp.CallAsync("Target.closeTarget", new JsonObject { ["targetId"] = targetId });
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _cdp.CallAsync("Browser.close", timeout: TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Stopped below by PID.
        }

        await _cdp.DisposeAsync();
        _process.WaitForExit(TimeSpan.FromSeconds(5));
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
