using WsAnalyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer>;
using Verify1002 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer, WsAnalyzers.CodeFixes.HandleCloseMessageFix>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1001 on receive helpers of the compilation that drop the Close while a caller loops and calls them again: reported
/// at the helper's receive, where the Close has to be told apart (the caller's loop is not reported again).
/// </summary>
public class ReceiveHelperTests
{
    private const string MemberHelper = """
        class TextClient
        {
            private readonly ClientWebSocket _socket = new ClientWebSocket();

            public event Action<string>? MessageReceived;

            public async Task ListenAsync(CancellationToken cancellationToken)
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var message = await ReceiveMessageAsync(cancellationToken);
                    MessageReceived?.Invoke(message);
                }
            }

            private async Task<string> ReceiveMessageAsync(CancellationToken cancellationToken)
            {
                var buffer = new byte[512];
                var result = await {|WS1001:_socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken)|};
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """;

    [Fact]
    public Task Flags_loop_over_a_member_helper_that_returns_only_text() => VerifyCS.DiagnosticsAsync(MemberHelper);

    [Fact]
    public Task No_fix_for_a_loop_over_a_helper() => VerifyFix.NoFixAsync(MemberHelper);

    /// <summary>The Close the helper hands back as text is never answered: WS1002 at the helper's receive too.</summary>
    [Fact]
    public Task WS1002_also_reports_the_helper_whose_close_the_loop_receives_past() => Verify1002.DiagnosticsAsync(MemberHelper.Replace("{|WS1001:", "{|WS1002:"));

    [Fact]
    public Task WS1002_still_reports_the_helper_when_the_loop_stops_on_the_state() => Verify1002.DiagnosticsAsync(MemberHelper
        .Replace("while (!cancellationToken.IsCancellationRequested)", "while (_socket.State == WebSocketState.Open)")
        .Replace("{|WS1001:", "{|WS1002:"));

    [Fact]
    public Task WS1001_silent_on_the_helper_when_the_loop_stops_on_the_state() => VerifyCS.SilentAsync(MemberHelper
        .Replace("while (!cancellationToken.IsCancellationRequested)", "while (_socket.State == WebSocketState.Open)")
        .Replace("{|WS1001:", "").Replace("|}", ""));

    [Fact]
    public Task Flags_loop_that_skips_empty_text_from_an_extension_helper() => VerifyCS.DiagnosticsAsync("""
        static class SocketText
        {
            public static async Task<string> ReceiveTextAsync(this WebSocket socket, CancellationToken cancellationToken)
            {
                var buffer = new ArraySegment<byte>(new byte[4096]);
                using var stream = new System.IO.MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await {|WS1001:socket.ReceiveAsync(buffer, cancellationToken)|};
                    stream.Write(buffer.Array!, buffer.Offset, result.Count);
                }
                while (!result.EndOfMessage);
                return Encoding.UTF8.GetString(stream.ToArray());
            }
        }

        class Handler
        {
            private readonly WebSocket _socket;
            private readonly CancellationToken _token;

            public Handler(WebSocket socket, CancellationToken token)
            {
                _socket = socket;
                _token = token;
            }

            public async Task RunAsync()
            {
                while (!_token.IsCancellationRequested)
                {
                    // On a Close the helper returns "": this skips it and receives again, which throws.
                    var json = await _socket.ReceiveTextAsync(_token);
                    if (string.IsNullOrEmpty(json))
                    {
                        continue;
                    }

                    Console.WriteLine(json);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_loop_over_a_helper_that_returns_count_and_end_of_message() => VerifyCS.DiagnosticsAsync("""
        class Reader
        {
            async Task<(int Count, bool End)> ReadChunkAsync(WebSocket socket, byte[] buffer)
            {
                var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};
                return (result.Count, result.EndOfMessage);
            }

            async Task Pump(WebSocket socket, System.IO.Stream output)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var (count, end) = await ReadChunkAsync(socket, buffer);
                    output.Write(buffer, 0, count);
                    if (end)
                    {
                        await output.FlushAsync();
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_loop_over_a_helper_that_returns_nothing() => VerifyCS.DiagnosticsAsync("""
        class Session
        {
            async Task ReceiveOneAsync(WebSocket socket)
            {
                var buffer = new byte[1024];
                var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};
                Console.WriteLine(result.Count);
            }

            async Task RunAsync(WebSocket socket)
            {
                while (true)
                {
                    await ReceiveOneAsync(socket);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_helper_returns_null_on_close_and_the_loop_stops_on_null() => VerifyCS.DiagnosticsAsync("""
        class Session
        {
            async Task<string?> ReceiveTextAsync(WebSocket socket)
            {
                var buffer = new byte[1024];
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return null;
                }

                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }

            async Task RunAsync(WebSocket socket)
            {
                while (true)
                {
                    var text = await ReceiveTextAsync(socket);
                    if (text is null)
                    {
                        break;
                    }

                    Console.WriteLine(text);
                }
            }
        }
        """);

    /// <summary>A loop over a helper that returns the text of one receive ("" for a Close).</summary>
    private static string TextHelperLoop(string condition, string body) => $$"""
        class Session
        {
            async Task<string> ReceiveTextAsync(WebSocket socket)
            {
                var buffer = new byte[1024];
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }

            async Task RunAsync(WebSocket socket)
            {
                while ({{condition}})
                {
                    {{body}}
                }
            }
        }
        """;

    [Fact]
    public Task Silent_when_the_loop_stops_on_the_empty_text_of_a_close() => VerifyCS.DiagnosticsAsync(TextHelperLoop("true", """
        var text = await ReceiveTextAsync(socket);
        if (text.Length == 0)
        {
            break;
        }

        Console.WriteLine(text);
        """));

    [Fact]
    public Task Silent_when_the_loop_condition_reads_the_state() => VerifyCS.DiagnosticsAsync(TextHelperLoop(
        "socket.State == WebSocketState.Open", "Console.WriteLine(await ReceiveTextAsync(socket));"));

    [Fact]
    public Task Silent_when_the_helper_returns_the_result_or_tells_the_close() => VerifyCS.DiagnosticsAsync("""
        class Session
        {
            async Task<WebSocketReceiveResult> ReceiveRawAsync(WebSocket socket, byte[] buffer)
                => await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);

            async Task<(string Text, bool Closed)> ReceiveTextAsync(WebSocket socket, byte[] buffer)
            {
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                return (Encoding.UTF8.GetString(buffer, 0, result.Count), result.MessageType == WebSocketMessageType.Close);
            }

            async Task RunAsync(WebSocket socket)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ReceiveRawAsync(socket, buffer);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }
                }
            }

            async Task RunTextAsync(WebSocket socket)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var (text, closed) = await ReceiveTextAsync(socket, buffer);
                    if (closed)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    Console.WriteLine(text);
                }
            }
        }
        """);

    private static string AnsweringHelper(string onClose, string loop) => $$"""
        class Session
        {
            async Task<string?> ReceiveTextAsync(WebSocket socket)
            {
                var buffer = new byte[1024];
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                if (result.CloseStatus.HasValue)
                {
                    await socket.CloseAsync(result.CloseStatus.Value, result.CloseStatusDescription, CancellationToken.None);
                    {{onClose}}
                }

                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }

            async Task RunAsync(WebSocket socket)
            {
                while (true)
                {
                    {{loop}}
                }
            }
        }
        """;

    [Fact]
    public Task Flags_loop_that_calls_again_a_helper_which_answered_and_returned_text() => VerifyCS.DiagnosticsAsync(AnsweringHelper(
        "return \"\";",
        """
        var text = await {|WS1001:ReceiveTextAsync(socket)|};
        if (string.IsNullOrEmpty(text))
        {
            continue;
        }

        Console.WriteLine(text);
        """));

    [Fact]
    public Task Silent_when_the_helper_answered_and_the_loop_stops_on_its_null() => VerifyCS.DiagnosticsAsync(AnsweringHelper(
        "return null;",
        """
        var text = await ReceiveTextAsync(socket);
        if (text is null)
        {
            return;
        }

        Console.WriteLine(text);
        """));
}

/// <summary>WS1002 through a receive helper that tells the Close by returning null from a conditional expression.</summary>
public class ConditionalReturnHelperTests
{
    private static string Chat(string afterLoop, string flagged) => $$"""
        using Microsoft.AspNetCore.Http;

        public class ChatService
        {
            public async Task HandleConnection(WebSocket webSocket)
            {
                try
                {
                    while (webSocket.State == WebSocketState.Open)
                    {
                        var message = await ReceiveMessage(webSocket);
                        if (message == null)
                        {
                            break;
                        }

                        Console.WriteLine(message);
                    }{{afterLoop}}
                }
                catch (Exception ex)
                {
                    Console.WriteLine(ex.Message);
                }
            }

            private async Task<string?> ReceiveMessage(WebSocket webSocket)
            {
                var buffer = new byte[1024 * 4];
                var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                return {{flagged}}
                    ? null
                    : Encoding.UTF8.GetString(buffer, 0, result.Count).Trim();
            }
        }

        public class ChatMiddleware
        {
            private readonly ChatService _chat = new();

            public async Task InvokeAsync(HttpContext context)
            {
                using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                await _chat.HandleConnection(webSocket);
            }
        }
        """;

    [Fact]
    public Task Flags_a_loop_that_breaks_on_the_null_of_a_close_and_returns()
        => Verify1002.DiagnosticsAsync(Chat("", "{|WS1002:result.MessageType == WebSocketMessageType.Close|}"));

    [Fact]
    public Task Silent_when_the_caller_answers_after_the_loop()
        => Verify1002.SilentAsync(Chat("""


                    if (webSocket.State == WebSocketState.CloseReceived)
                    {
                        await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
        """, "result.MessageType == WebSocketMessageType.Close"));
}
