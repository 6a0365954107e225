using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.DisposedWhileOpenAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1010 on a socket field its type lends to a reader or sender of the compilation (a constructor or method that keeps
/// it only to receive or send, in a type that never closes, disposes or aborts anything): the socket stays the owning
/// type's to close, so its Dispose is still judged. A socket handed to code that may close or dispose it is not.
/// </summary>
public class LentSocketTests
{
    private static string Session(string reader, string dispose = "_ws?.Dispose()") => $$"""
        sealed class Session : IDisposable
        {
            private ClientWebSocket _ws;
            private FrameReader _reader;

            public async Task ConnectAsync(Uri uri, CancellationToken ct)
            {
                _ws = new ClientWebSocket();
                await _ws.ConnectAsync(uri, ct);
                _reader = new FrameReader(_ws);
            }

            public Task<string> NextAsync(CancellationToken ct) => _reader.ReadAsync(ct);

            public void Dispose()
            {
                {{dispose}};
            }
        }

        {{reader}}
        """;

    private const string ReadOnlyReader = """
        sealed class FrameReader
        {
            private readonly WebSocket _socket;
            private readonly byte[] _buffer = new byte[4096];

            public FrameReader(WebSocket socket) => _socket = socket;

            public async Task<string> ReadAsync(CancellationToken ct)
            {
                var result = await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer), ct);
                return result.MessageType == WebSocketMessageType.Close ? null : Encoding.UTF8.GetString(_buffer, 0, result.Count);
            }
        }
        """;

    private const string ClosingReader = """
        sealed class FrameReader
        {
            private readonly WebSocket _socket;
            private readonly byte[] _buffer = new byte[4096];

            public FrameReader(WebSocket socket) => _socket = socket;

            public async Task<string> ReadAsync(CancellationToken ct)
            {
                var result = await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    return null;
                }

                return Encoding.UTF8.GetString(_buffer, 0, result.Count);
            }
        }
        """;

    [Fact]
    public Task Flags_the_dispose_of_a_socket_lent_to_a_reader()
        => VerifyCS.DiagnosticsAsync(Session(ReadOnlyReader, "_ws?{|WS1010:.Dispose()|}"));

    [Fact]
    public Task Silent_when_the_reader_closes_the_socket_it_is_given() => VerifyCS.SilentAsync(Session(ClosingReader));

    [Fact]
    public Task Silent_when_the_reader_disposes_the_socket_it_is_given() => VerifyCS.SilentAsync(Session(ReadOnlyReader.Replace(
        "public FrameReader(WebSocket socket) => _socket = socket;",
        "public FrameReader(WebSocket socket) => _socket = socket;\n\n    public void Stop() => _socket.Dispose();")));
}

/// <summary>
/// WS1010 on an endpoint whose helper can return before it does anything with the socket (a missing query value):
/// on that path the `using` disposes a socket that is still Open.
/// </summary>
public class EarlyReturnHelperTests
{
    private static string Endpoint(string guard) => $$"""
        using Microsoft.AspNetCore.Http;

        class Proxy
        {
            public async Task Get(HttpContext context)
            {
                if (context.WebSockets.IsWebSocketRequest)
                {
                    {|#0:using|} var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                    await Forward(context, webSocket);
                }
            }

            private static async Task Forward(HttpContext context, WebSocket webSocket)
            {
                string? group = context.Request.Query["group"];
                {{guard}}

                var buffer = new byte[4096];
                while (webSocket.State == WebSocketState.Open)
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
                }
            }
        }
        """;

    [Fact]
    public Task Flags_a_using_after_a_helper_that_can_return_before_using_the_socket()
        => VerifyCS.DiagnosticsAsync(Endpoint("if (string.IsNullOrEmpty(group)) return;").Replace("{|#0:using|}", "{|WS1010:using|}"));

    [Theory]
    [InlineData("if (string.IsNullOrEmpty(group)) { await webSocket.CloseAsync(WebSocketCloseStatus.PolicyViolation, \"group\", CancellationToken.None); return; }")]
    [InlineData("if (webSocket.State != WebSocketState.Open) return;")]
    [InlineData("")]
    public Task Silent_when_every_way_out_of_the_helper_closes_or_looks_at_the_socket(string guard)
        => VerifyCS.SilentAsync(Endpoint(guard).Replace("{|#0:using|}", "using"));
}
