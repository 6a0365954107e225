using Xunit;
using Verify1001 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer>;
using Verify1002 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;
using Verify1006 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceivedCountIgnoredAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>A receive whose Count is taken at once, in the loop's condition, with no result variable.</summary>
public class InlineCountTests
{
    private const string Relay = """
        static class Relay
        {
            public static async Task Copy(WebSocket source, System.IO.Stream destination, int size)
            {
                var buffer = new ArraySegment<byte>(new byte[size]);
                int read;
                while ((read = (await {|#0:source.ReceiveAsync(buffer, CancellationToken.None)|}).Count) != 0)
                {
                    await destination.WriteAsync(buffer.ToArray(), 0, read);
                }
            }
        }
        """;

    [Fact]
    public Task A_loop_that_stops_on_a_count_of_zero_tells_the_close_apart() => Verify1001.SilentAsync(Relay.Replace("{|#0:", "").Replace(")|})", "))"));

    [Fact]
    public Task The_close_it_stops_on_is_still_not_answered() => Verify1002.DiagnosticsAsync(
        Relay.Replace("{|#0:source.ReceiveAsync(buffer, CancellationToken.None)|}", "{|WS1002:source.ReceiveAsync(buffer, CancellationToken.None)|}"));

    private static string Copy(string write) => $$"""
        static class Relay
        {
            public static async Task Copy(WebSocket source, System.IO.Stream destination)
            {
                var buffer = new ArraySegment<byte>(new byte[1024]);
                var result = await source.ReceiveAsync(buffer, CancellationToken.None);
                {{write}}
            }
        }
        """;

    [Fact]
    public Task A_copy_written_with_the_received_count_is_not_a_whole_use()
        => Verify1006.SilentAsync(Copy("await destination.WriteAsync(buffer.ToArray(), 0, result.Count);"));

    [Fact]
    public Task A_copy_written_with_the_whole_segment_count_is_reported()
        => Verify1006.DiagnosticsAsync(Copy("await destination.WriteAsync({|WS1006:buffer|}.ToArray(), 0, buffer.Count);"));
}
