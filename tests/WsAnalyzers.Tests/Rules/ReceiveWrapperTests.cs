using Xunit;
using Verify1005 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.FragmentsTreatedAsMessagesAnalyzer>;
using Verify1005Fix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.FragmentsTreatedAsMessagesAnalyzer, WsAnalyzers.CodeFixes.AssembleMessageFix>;
using Verify1006 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceivedCountIgnoredAnalyzer, WsAnalyzers.CodeFixes.SliceByReceivedCountFix>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>WS1005 and WS1006 through a project's wrapper with ReceiveAsync's contract (buffer in, receive result out).</summary>
public class ReceiveWrapperTests
{
    private const string Handler = """
        interface ISocketHandler
        {
            Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken);
        }

        class SocketHandler : ISocketHandler
        {
            private readonly ClientWebSocket _socket = new ClientWebSocket();

            public Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
                => _socket.ReceiveAsync(buffer, cancellationToken);
        }

        """;

    [Fact]
    public Task Flags_each_piece_from_a_handler_interface_decoded_as_a_message() => Verify1005.DiagnosticsAsync(Handler + """
        class Stream
        {
            private readonly ISocketHandler _handler;
            public event Action<string>? Message;

            public Stream(ISocketHandler handler) => _handler = handler;

            public async Task LoopAsync(CancellationToken cancellationToken)
            {
                var buffer = new byte[8192];
                while (!cancellationToken.IsCancellationRequested)
                {
                    var result = await _handler.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    Message?.Invoke({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
                }
            }
        }
        """);

    [Fact]
    public Task Flags_the_whole_buffer_decoded_after_a_wrapper_receive() => Verify1006.FixAsync(Handler + """
        class Reader
        {
            async Task<string> Read(ISocketHandler handler)
            {
                var buffer = new byte[1024];
                var result = await handler.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                return Encoding.UTF8.GetString({|WS1006:buffer|});
            }
        }
        """, Handler + """
        class Reader
        {
            async Task<string> Read(ISocketHandler handler)
            {
                var buffer = new byte[1024];
                var result = await handler.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_wrapper_assembles_the_message_itself() => Verify1005.DiagnosticsAsync("""
        class Assembler
        {
            private readonly ClientWebSocket _socket = new ClientWebSocket();

            public async Task<WebSocketReceiveResult> ReceiveMessageAsync(ArraySegment<byte> buffer)
            {
                var offset = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer.Array!, buffer.Offset + offset, buffer.Count - offset), CancellationToken.None);
                    offset += result.Count;
                }
                while (!result.EndOfMessage);
                return result;
            }

            public async Task<string> NextAsync()
            {
                var buffer = new byte[65536];
                var result = await ReceiveMessageAsync(new ArraySegment<byte>(buffer));
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task Silent_when_a_method_returns_a_result_it_was_not_given_a_buffer_for() => Verify1005.DiagnosticsAsync("""
        class Cache
        {
            private WebSocketReceiveResult? _last;
            private readonly byte[] _buffer = new byte[16];

            public Task<WebSocketReceiveResult> LastAsync(string key) => Task.FromResult(_last!);

            public async Task<string> ShowAsync()
            {
                var result = await LastAsync("x");
                return Encoding.UTF8.GetString(_buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task No_fix_through_a_wrapper() => Verify1005Fix.NoFixAsync(Handler + """
        class Reader
        {
            async Task<string> Read(ISocketHandler handler)
            {
                var buffer = new byte[1024];
                var result = await handler.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                return {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|};
            }
        }
        """);
}
