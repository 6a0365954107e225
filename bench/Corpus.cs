using System.Text;

namespace WsAnalyzers.Bench;

/// <summary>
/// Deterministic source generator for the benchmark corpora. The same seed, kind and size always give the same text.
/// Corpus A is ordinary C# with no WebSocket use; corpus B is WebSocket servers and clients, correct and buggy, in every
/// shape the rules know, mixed with ordinary helper code as real projects are.
/// </summary>
internal static class Corpus
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Net.WebSockets;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        """;

    /// <summary>The WebSocket shapes of corpus B, cycled through so that each size holds every shape.</summary>
    public static readonly string[] Shapes =
    [
        "IgnoredClose", "BreakWithoutAck", "WhileStateOpen", "OpenGuardedCloseHelper", "CorrectLoop",
        "HelperLoopCallerCloses", "MapLambda", "UseLambda", "MemoryOverload", "UndisposedClient",
        "DiscardedSend", "GetStringWithoutCount", "InvalidCloseCode", "CorrectClient", "CorrectAccumulating",
    ];

    /// <summary>Corpus A's usings: no System.Net.WebSockets, no ASP.NET Core.</summary>
    public const string PlainUsings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    /// <summary>
    /// kind 'a': ordinary code; 'n': the same text as 'a' (compiled without a reference to System.Net.WebSockets);
    /// 'o': 'a' with one WebSocket file (the gate open); 'b': WebSocket code.
    /// </summary>
    public static List<(string Path, string Text)> Generate(char kind, int files, int seed, bool uniqueNames = false)
    {
        if (kind == 'o')
        {
            // Ordinary code in a project that uses WebSockets somewhere: corpus a with its last file replaced by one
            // WebSocket file, so the gate is open and every body is looked at.
            var ordinary = Generate('a', files - 1, seed);
            ordinary.Add(Generate('b', 1, seed)[0]);
            return ordinary;
        }

        if (kind == 'n')
        {
            kind = 'a';
        }

        var result = new List<(string, string)>(files);
        for (var i = 0; i < files; i++)
        {
            // One Random per file: file i is the same whatever the size.
            // Not HashCode.Combine: it is seeded per process.
            var rng = new Random(unchecked((seed * 31 + kind) * 1_000_003 + i) & 0x7fffffff);
            var sb = new StringBuilder(kind == 'b' ? Usings : PlainUsings);
            sb.Append($"namespace Gen{char.ToUpperInvariant(kind)}.N{i % 20};\n\n");
            if (kind == 'b')
            {
                var ws = new StringBuilder();
                WebSocketClass(ws, Shapes[i % Shapes.Length], i, rng);
                // With uniqueNames, each file's methods get their own names (Run -> Run17): isolates the cost of many
                // same-named methods (call sites are looked up by name; see docs/performance.md).
                sb.Append(uniqueNames ? System.Text.RegularExpressions.Regex.Replace(ws.ToString(), @"(?<![.\w])(Run|Serve|Echo|Pump|CloseQuietly|Fetch|Notify|Broadcast|Reject|Fail)\(", $"${{1}}{i}(") : ws.ToString());
                OrdinaryClass(sb, i, rng, members: 3);
            }
            else
            {
                OrdinaryClass(sb, i, rng, members: 6);
            }

            result.Add(($"{kind}/File{i:D4}.cs", sb.ToString()));
        }

        return result;
    }

    private static string Pick(Random rng, params string[] items) => items[rng.Next(items.Length)];

    // ---------------------------------------------------------------- ordinary code
    private static void OrdinaryClass(StringBuilder sb, int i, Random rng, int members)
    {
        var name = Pick(rng, "Order", "Invoice", "Customer", "Report", "Ledger", "Catalog", "Shipment") + "Service" + i;
        sb.Append($$"""
            public sealed record {{name}}Item(int Id, string Name, decimal Price, DateTime Created);

            public sealed class {{name}}
            {
                private readonly List<{{name}}Item> _items = new();
                private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
                public int Capacity { get; set; } = {{rng.Next(8, 512)}};
                public string Title { get; init; } = "{{name}}";

            """);
        for (var m = 0; m < members; m++)
        {
            switch (rng.Next(6))
            {
                case 0:
                    sb.Append($$"""
                            public decimal Total{{m}}(decimal discount)
                            {
                                decimal sum = 0;
                                foreach (var item in _items)
                                {
                                    if (item.Price > {{rng.Next(1, 100)}}m)
                                    {
                                        sum += item.Price * (1 - discount);
                                    }
                                    else
                                    {
                                        sum += item.Price;
                                    }
                                }

                                return Math.Round(sum, 2);
                            }

                        """);
                    break;
                case 1:
                    sb.Append($$"""
                            public IReadOnlyList<string> Names{{m}}(int take) =>
                                _items.Where(x => x.Id % {{rng.Next(2, 7)}} == 0)
                                      .OrderBy(x => x.Name, StringComparer.Ordinal)
                                      .Select(x => $"{x.Id}:{x.Name.ToUpperInvariant()}")
                                      .Take(take)
                                      .ToList();

                        """);
                    break;
                case 2:
                    sb.Append($$"""
                            public async Task<int> LoadAsync{{m}}(string path, CancellationToken cancellationToken)
                            {
                                using var stream = File.OpenRead(path);
                                using var reader = new StreamReader(stream, Encoding.UTF8);
                                var lines = 0;
                                string? line;
                                while ((line = await reader.ReadLineAsync(cancellationToken)) is not null)
                                {
                                    var parts = line.Split(',');
                                    if (parts.Length < {{rng.Next(2, 5)}}) continue;
                                    _items.Add(new {{name}}Item(int.Parse(parts[0]), parts[1], decimal.Parse(parts[2]), DateTime.UtcNow));
                                    lines++;
                                }

                                return lines;
                            }

                        """);
                    break;
                case 3:
                    sb.Append($$"""
                            public string Describe{{m}}(int code) => code switch
                            {
                                < 0 => "negative",
                                0 => "zero",
                                >= 1 and < {{rng.Next(10, 100)}} => "small",
                                _ when code % 2 == 0 => "even",
                                _ => "odd",
                            };

                        """);
                    break;
                case 4:
                    sb.Append($$"""
                            public void Count{{m}}(IEnumerable<string> words)
                            {
                                var builder = new StringBuilder();
                                foreach (var word in words)
                                {
                                    _counts[word] = _counts.TryGetValue(word, out var n) ? n + 1 : 1;
                                    if (builder.Length < Capacity)
                                    {
                                        builder.Append(word).Append(';');
                                    }
                                }

                                try
                                {
                                    Title.ToString();
                                }
                                catch (InvalidOperationException ex) when (ex.Message.Length > {{rng.Next(1, 9)}})
                                {
                                    builder.Clear();
                                }
                            }

                        """);
                    break;
                default:
                    sb.Append($$"""
                            public async Task SaveAsync{{m}}(string path)
                            {
                                await using var writer = new StreamWriter(path, append: false);
                                for (var k = 0; k < _items.Count; k++)
                                {
                                    var item = _items[k];
                                    await writer.WriteLineAsync($"{item.Id},{item.Name},{item.Price}");
                                }

                                var memory = new MemoryStream();
                                memory.WriteByte({{rng.Next(0, 255)}});
                            }

                        """);
                    break;
            }
        }

        sb.Append("}\n\n");
    }

    // ---------------------------------------------------------------- WebSocket code
    private static void WebSocketClass(StringBuilder sb, string shape, int i, Random rng)
    {
        var cls = shape + i;
        var size = Pick(rng, "1024", "4096", "1024 * 4", "8192");
        var ws = Pick(rng, "webSocket", "socket", "ws");
        var log = Pick(rng, "Console.WriteLine", "Trace");
        sb.Append($"public static class {cls}\n{{\n");
        sb.Append("    private static void Trace(string message) => System.Diagnostics.Debug.WriteLine(message);\n\n");
        switch (shape)
        {
            case "IgnoredClose": // WS1001: the Close message is never looked at
                sb.Append($$"""
                        public static async Task Run(WebSocket {{ws}}, CancellationToken cancellationToken)
                        {
                            var buffer = new byte[{{size}}];
                            while (true)
                            {
                                var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                                {{log}}(text);
                                await {{ws}}.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, cancellationToken);
                            }
                        }

                    """);
                break;
            case "BreakWithoutAck": // WS1002: leaves the loop on Close, never answers
                sb.Append($$"""
                        public static async Task Run(WebSocket {{ws}}, CancellationToken cancellationToken)
                        {
                            var buffer = new byte[{{size}}];
                            using var message = new MemoryStream();
                            while (true)
                            {
                                var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                                if (result.MessageType == WebSocketMessageType.Close)
                                {
                                    break;
                                }

                                message.Write(buffer, 0, result.Count);
                                if (result.EndOfMessage)
                                {
                                    {{log}}(Encoding.UTF8.GetString(message.ToArray()));
                                    message.SetLength(0);
                                }
                            }
                        }

                        public static async Task Serve(HttpContext context)
                        {
                            using var {{ws}} = await context.WebSockets.AcceptWebSocketAsync();
                            await Run({{ws}}, context.RequestAborted);
                        }

                    """);
                break;
            case "WhileStateOpen": // WS1001/WS1002: the loop ends on CloseReceived, nobody answers
                sb.Append($$"""
                        public static async Task Echo(WebSocket {{ws}})
                        {
                            var buffer = new byte[{{size}}];
                            while ({{ws}}.State == WebSocketState.Open)
                            {
                                var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                                await {{ws}}.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), WebSocketMessageType.Text, result.EndOfMessage, CancellationToken.None);
                            }
                        }

                        public static async Task Serve(HttpContext context)
                        {
                            using var {{ws}} = await context.WebSockets.AcceptWebSocketAsync();
                            await Echo({{ws}});
                        }

                    """);
                break;
            case "OpenGuardedCloseHelper": // WS1004: the close helper skips a CloseReceived socket
                sb.Append($$"""
                        public static async Task Run(WebSocket {{ws}}, CancellationToken cancellationToken)
                        {
                            var buffer = new byte[{{size}}];
                            while (true)
                            {
                                var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                                if (result.MessageType == WebSocketMessageType.Close)
                                {
                                    break;
                                }

                                {{log}}(Encoding.UTF8.GetString(buffer, 0, result.Count));
                            }

                            await CloseQuietly({{ws}}, cancellationToken);
                        }

                        private static async Task CloseQuietly(WebSocket {{ws}}, CancellationToken cancellationToken)
                        {
                            if ({{ws}}.State == WebSocketState.Open)
                            {
                                await {{ws}}.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                            }
                        }

                        public static async Task Serve(HttpContext context)
                        {
                            using var {{ws}} = await context.WebSockets.AcceptWebSocketAsync();
                            await Run({{ws}}, context.RequestAborted);
                        }

                    """);
                break;
            case "CorrectLoop": // clean
                sb.Append($$"""
                        public static async Task Run(WebSocket {{ws}}, CancellationToken cancellationToken)
                        {
                            var buffer = new byte[{{size}}];
                            var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                            while (!result.CloseStatus.HasValue)
                            {
                                await {{ws}}.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, cancellationToken);
                                result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                            }

                            await {{ws}}.CloseAsync(result.CloseStatus.Value, result.CloseStatusDescription, cancellationToken);
                        }

                        public static async Task Serve(HttpContext context)
                        {
                            using var {{ws}} = await context.WebSockets.AcceptWebSocketAsync();
                            await Run({{ws}}, context.RequestAborted);
                        }

                    """);
                break;
            case "HelperLoopCallerCloses": // clean: the helper leaves the close to its caller, which answers it
                sb.Append($$"""
                        private static async Task<WebSocketReceiveResult> Pump(WebSocket {{ws}}, byte[] buffer, CancellationToken cancellationToken)
                        {
                            while (true)
                            {
                                var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                                if (result.MessageType == WebSocketMessageType.Close)
                                {
                                    return result;
                                }

                                if (result.EndOfMessage)
                                {
                                    {{log}}(Encoding.UTF8.GetString(buffer, 0, result.Count));
                                }
                            }
                        }

                        public static async Task Run(WebSocket {{ws}}, CancellationToken cancellationToken)
                        {
                            var buffer = new byte[{{size}}];
                            var last = await Pump({{ws}}, buffer, cancellationToken);
                            await {{ws}}.CloseOutputAsync(last.CloseStatus ?? WebSocketCloseStatus.NormalClosure, last.CloseStatusDescription, cancellationToken);
                        }

                    """);
                break;
            case "MapLambda": // WS1002 inside an app.Map lambda
                sb.Append($$"""
                        public static void Map(WebApplication app)
                        {
                            app.Map("/ws{{i}}", async context =>
                            {
                                if (!context.WebSockets.IsWebSocketRequest)
                                {
                                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                                    return;
                                }

                                using var {{ws}} = await context.WebSockets.AcceptWebSocketAsync();
                                var buffer = new byte[{{size}}];
                                while (true)
                                {
                                    var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                                    if (result.MessageType == WebSocketMessageType.Close)
                                    {
                                        break;
                                    }

                                    if (result.EndOfMessage)
                                    {
                                        {{log}}(Encoding.UTF8.GetString(buffer, 0, result.Count));
                                    }
                                }
                            });
                        }

                    """);
                break;
            case "UseLambda": // app.Use middleware, correct close
                sb.Append($$"""
                        public static void Use(WebApplication app)
                        {
                            app.Use(async (context, next) =>
                            {
                                if (context.Request.Path != "/ws{{i}}")
                                {
                                    await next(context);
                                    return;
                                }

                                using var {{ws}} = await context.WebSockets.AcceptWebSocketAsync();
                                var buffer = new byte[{{size}}];
                                while (true)
                                {
                                    var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                                    if (result.MessageType == WebSocketMessageType.Close)
                                    {
                                        await {{ws}}.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                                        break;
                                    }

                                    await {{ws}}.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
                                }
                            });
                        }

                    """);
                break;
            case "MemoryOverload": // Memory<byte> overload; break without ack (WS1002)
                sb.Append($$"""
                        public static async Task Run(WebSocket {{ws}}, CancellationToken cancellationToken)
                        {
                            var buffer = new byte[{{size}}];
                            while (true)
                            {
                                ValueWebSocketReceiveResult result = await {{ws}}.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                                if (result.MessageType == WebSocketMessageType.Close)
                                {
                                    break;
                                }

                                if (result.EndOfMessage)
                                {
                                    {{log}}(Encoding.UTF8.GetString(buffer.AsSpan(0, result.Count)));
                                }
                            }
                        }

                        public static async Task Serve(HttpContext context)
                        {
                            using var {{ws}} = await context.WebSockets.AcceptWebSocketAsync();
                            await Run({{ws}}, context.RequestAborted);
                        }

                    """);
                break;
            case "UndisposedClient": // WS1003: the ClientWebSocket is never disposed
                sb.Append($$"""
                        public static async Task<string> Fetch(Uri uri, CancellationToken cancellationToken)
                        {
                            var {{ws}} = new ClientWebSocket();
                            await {{ws}}.ConnectAsync(uri, cancellationToken);
                            await {{ws}}.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, cancellationToken);
                            var buffer = new byte[{{size}}];
                            var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                            if (result.MessageType == WebSocketMessageType.Close)
                            {
                                await {{ws}}.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                                return string.Empty;
                            }

                            await {{ws}}.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
                            return result.EndOfMessage ? Encoding.UTF8.GetString(buffer, 0, result.Count) : string.Empty;
                        }

                    """);
                break;
            case "DiscardedSend": // WS1009: SendAsync task dropped
                sb.Append($$"""
                        public static void Notify(WebSocket {{ws}}, string message)
                        {
                            var bytes = Encoding.UTF8.GetBytes(message);
                            _ = {{ws}}.SendAsync(new ArraySegment<byte>(bytes), WebSocketMessageType.Text, true, CancellationToken.None);
                        }

                        public static async Task Broadcast(IEnumerable<WebSocket> sockets, string message)
                        {
                            foreach (var {{ws}} in sockets)
                            {
                                {{ws}}.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
                            }

                            await Task.Yield();
                        }

                    """);
                break;
            case "GetStringWithoutCount": // WS1006 (+ WS1005): the whole buffer is decoded
                sb.Append($$"""
                        public static async Task Run(WebSocket {{ws}}, CancellationToken cancellationToken)
                        {
                            var buffer = new byte[{{size}}];
                            while (true)
                            {
                                var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                                if (result.MessageType == WebSocketMessageType.Close)
                                {
                                    await {{ws}}.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                                    return;
                                }

                                var text = Encoding.UTF8.GetString(buffer);
                                {{log}}(text.TrimEnd('\0'));
                            }
                        }

                    """);
                break;
            case "InvalidCloseCode": // WS1007: reserved status and an over-long description
                sb.Append($$"""
                        public static Task Reject(WebSocket {{ws}}, CancellationToken cancellationToken)
                            => {{ws}}.CloseAsync((WebSocketCloseStatus)1005, "rejected", cancellationToken);

                        public static Task Fail(WebSocket {{ws}}, CancellationToken cancellationToken)
                            => {{ws}}.CloseOutputAsync(WebSocketCloseStatus.InternalServerError,
                                "{{new string('x', 130)}}", cancellationToken);

                    """);
                break;
            case "CorrectClient": // clean client
                sb.Append($$"""
                        public static async Task<string> Fetch(Uri uri, CancellationToken cancellationToken)
                        {
                            using var {{ws}} = new ClientWebSocket();
                            await {{ws}}.ConnectAsync(uri, cancellationToken);
                            await {{ws}}.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, cancellationToken);
                            var buffer = new byte[{{size}}];
                            using var message = new MemoryStream();
                            while (true)
                            {
                                var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                                if (result.MessageType == WebSocketMessageType.Close)
                                {
                                    await {{ws}}.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                                    return string.Empty;
                                }

                                message.Write(buffer, 0, result.Count);
                                if (result.EndOfMessage)
                                {
                                    break;
                                }
                            }

                            await {{ws}}.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
                            return Encoding.UTF8.GetString(message.ToArray());
                        }

                    """);
                break;
            default: // CorrectAccumulating: clean server, switch on the message type
                sb.Append($$"""
                        public static async Task Run(WebSocket {{ws}}, CancellationToken cancellationToken)
                        {
                            var buffer = new byte[{{size}}];
                            var pieces = new List<byte>();
                            try
                            {
                                while (true)
                                {
                                    var result = await {{ws}}.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                                    switch (result.MessageType)
                                    {
                                        case WebSocketMessageType.Close:
                                            await {{ws}}.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                                            return;
                                        case WebSocketMessageType.Text:
                                            pieces.AddRange(new ArraySegment<byte>(buffer, 0, result.Count));
                                            if (result.EndOfMessage)
                                            {
                                                {{log}}(Encoding.UTF8.GetString(pieces.ToArray()));
                                                pieces.Clear();
                                            }

                                            break;
                                        default:
                                            break;
                                    }
                                }
                            }
                            catch (OperationCanceledException)
                            {
                                {{ws}}.Abort();
                            }
                        }

                    """);
                break;
        }

        sb.Append("}\n\n");
    }

    // ---------------------------------------------------------------- pathological method
    /// <summary>One method: thousands of statements, hundreds of receive loops, deep nesting.</summary>
    public static string Pathological(int loops, int depth, int fillerPerLoop)
    {
        var sb = new StringBuilder(Usings);
        sb.Append("namespace GenP;\n\npublic static class Monster\n{\n");
        sb.Append("    private static bool Check(int n) => n % 3 == 0;\n\n");
        sb.Append("    public static async Task Run(WebSocket ws, CancellationToken cancellationToken)\n    {\n");
        sb.Append("        var buffer = new byte[4096];\n        var total = 0;\n");
        for (var l = 0; l < loops; l++)
        {
            var nest = l % 10 == 0 ? depth : l % 4;
            var indent = new string(' ', 8);
            for (var d = 0; d < nest; d++)
            {
                sb.Append(indent).Append(d % 2 == 0 ? $"if (Check(total + {d}))\n" : $"for (var i{l}_{d} = 0; i{l}_{d} < 2; i{l}_{d}++)\n").Append(indent).Append("{\n");
                indent += "    ";
            }

            for (var f = 0; f < fillerPerLoop; f++)
            {
                sb.Append(indent).Append($"total += {f} * (total % {f + 2});\n");
            }

            sb.Append(indent).Append("while (true)\n").Append(indent).Append("{\n");
            var body = indent + "    ";
            sb.Append(body).Append($"var r{l} = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);\n");
            switch (l % 4)
            {
                case 0:
                    sb.Append(body).Append($"if (r{l}.MessageType == WebSocketMessageType.Close) {{ await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken); return; }}\n");
                    break;
                case 1:
                    sb.Append(body).Append($"if (r{l}.MessageType == WebSocketMessageType.Close) break;\n");
                    break;
                case 2:
                    sb.Append(body).Append($"if (r{l}.CloseStatus.HasValue) {{ if (ws.State == WebSocketState.Open) await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken); break; }}\n");
                    break;
                default:
                    sb.Append(body).Append($"total += r{l}.Count;\n");
                    break;
            }

            sb.Append(body).Append($"if (r{l}.EndOfMessage) {{ total += Encoding.UTF8.GetString(buffer, 0, r{l}.Count).Length; if (total > {l + 100}) break; }}\n");
            sb.Append(indent).Append("}\n");
            for (var d = 0; d < nest; d++)
            {
                indent = indent[..^4];
                sb.Append(indent).Append("}\n");
            }
        }

        sb.Append("        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);\n    }\n}\n");
        return sb.ToString();
    }
}
