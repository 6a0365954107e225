// Proof in an editor: drives a real language server (csharp-ls, Roslyn-based, used from Neovim, Helix, Emacs and VS Code)
// over LSP on stdin/stdout, on a small web project that references the PACKED WsAnalyzers package (not the source), and
// checks what an editor user would see:
//   1. a file with close bugs: pull diagnostics carry the WS diagnostics at the expected ranges, with their help links;
//   2. code actions at the WS1002 diagnostic: which are offered (csharp-ls offers no package code fixes, and the README
//      says so: if that changes this check fails so the README is corrected);
//   3. didChange to the fixed text: the WS diagnostics disappear;
//   4. a correct file: no WS diagnostic, while the file is analysed (its compiler warning CS0219 is reported).
// Usage (editor/run.sh does all of this):
//   dotnet run --file editor/LspCheck.cs -- --server <csharp-ls> --packages <folder with WsAnalyzers.*.nupkg>
//       --version <package version> --repository-url <RepositoryUrl> --work <empty temp dir> [--timeout <s>, default 180: the whole LSP session]
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

var options = ParseArgs(args);
var server = Required(options, "server");
var packages = Path.GetFullPath(Required(options, "packages"));
var version = Required(options, "version");
var repositoryUrl = Required(options, "repository-url").TrimEnd('/');
var work = Path.GetFullPath(Required(options, "work"));
var timeout = TimeSpan.FromSeconds(options.TryGetValue("timeout", out var t) ? int.Parse(t) : 180);
var deadline = DateTime.UtcNow + timeout;

// The project: a web app referencing the packed package. Its own nuget.config adds the artifacts folder to the normal
// feed and a global packages folder of its own, so a re-packed 0.1.0 is never served from an old cached copy.
var project = Path.Combine(work, "project");
Directory.CreateDirectory(project);
File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
    <?xml version="1.0" encoding="utf-8"?>
    <configuration>
      <config>
        <add key="globalPackagesFolder" value="{Path.Combine(work, "packages")}" />
      </config>
      <packageSources>
        <add key="wsanalyzers-local" value="{packages}" />
      </packageSources>
    </configuration>
    """);
File.WriteAllText(Path.Combine(project, "EditorCheck.csproj"), $"""
    <Project Sdk="Microsoft.NET.Sdk.Web">
      <PropertyGroup>
        <TargetFramework>net10.0</TargetFramework>
        <ImplicitUsings>enable</ImplicitUsings>
        <Nullable>enable</Nullable>
      </PropertyGroup>
      <ItemGroup>
        <PackageReference Include="WsAnalyzers" Version="[{version}]" PrivateAssets="all" />
      </ItemGroup>
    </Project>
    """);
// An empty Directory.Build.props stops MSBuild from importing the repository's (the temp dir may sit anywhere).
File.WriteAllText(Path.Combine(project, "Directory.Build.props"), "<Project />\n");
File.WriteAllText(Path.Combine(project, "Program.cs"), """
    var app = WebApplication.CreateBuilder(args).Build();
    app.UseWebSockets();
    app.Map("/echo", EditorCheck.Echo.Run);
    app.Map("/correct", EditorCheck.Correct.Run);
    app.Run();
    """);

var broken = Markup.Parse(Sources.Broken);
var correct = Markup.Parse(Sources.Correct);
var echoPath = Path.Combine(project, "Echo.cs");
var correctPath = Path.Combine(project, "Correct.cs");
File.WriteAllText(echoPath, broken.Text);
File.WriteAllText(correctPath, correct.Text);

Step("restore the project (the packed WsAnalyzers " + version + " from " + packages + ")");
var restore = Run("dotnet", $"restore \"{Path.Combine(project, "EditorCheck.csproj")}\" -nologo -v:q", project, TimeSpan.FromSeconds(300));
if (restore.Code != 0)
{
    Fail("dotnet restore failed:\n" + restore.Output);
}

// The package carries one build per Roslyn floor; csharp-ls runs a current Roslyn, so the roslyn4.8 one is what it loads.
var analyzerDll = Directory.GetFiles(Path.Combine(work, "packages"), "WsAnalyzers.dll", SearchOption.AllDirectories)
    .SingleOrDefault(p => p.Contains(Path.Combine("roslyn4.8", "cs"), StringComparison.Ordinal));
if (analyzerDll is null || !analyzerDll.Contains(Path.Combine("wsanalyzers", version), StringComparison.OrdinalIgnoreCase))
{
    Fail($"restore did not bring WsAnalyzers {version} into {Path.Combine(work, "packages")}");
}

Console.WriteLine("ok   restored; analyzers from " + analyzerDll);

Step("start csharp-ls over stdin/stdout");
deadline = DateTime.UtcNow + timeout; // the time limit covers the language server, not the restore
await using var lsp = LspClient.Start(server, project, Path.Combine(work, "csharp-ls.stderr.log"));
// editor/run.sh kills this pid at exit if the check itself was killed before it could stop the server.
File.WriteAllText(Path.Combine(work, "csharp-ls.pid"), lsp.ProcessId + "\n");
var failed = false;
try
{
    await Checks();
}
catch (CheckFailed e)
{
    failed = true;
    Console.Error.WriteLine("FAIL " + e.Message);
    Console.Error.WriteLine("---- last lines of csharp-ls stderr:");
    Console.Error.WriteLine(lsp.StderrTail(40));
}

await lsp.StopAsync();
if (failed)
{
    return 1;
}

Console.WriteLine("editor check passed");
return 0;

async Task Checks()
{
    var rootUri = new Uri(project + Path.DirectorySeparatorChar).AbsoluteUri;
    var init = await lsp.RequestAsync("initialize", new JsonObject
    {
        ["processId"] = Environment.ProcessId,
        ["rootUri"] = rootUri,
        ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = rootUri, ["name"] = "project" }),
        ["capabilities"] = new JsonObject
        {
            ["workspace"] = new JsonObject
            {
                ["configuration"] = true,
                ["didChangeConfiguration"] = new JsonObject { ["dynamicRegistration"] = true },
                ["workspaceFolders"] = true,
            },
            ["textDocument"] = new JsonObject
            {
                ["synchronization"] = new JsonObject { ["dynamicRegistration"] = true },
                // Declaring pull diagnostics makes csharp-ls answer textDocument/diagnostic (and not push).
                ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = true, ["relatedDocumentSupport"] = false },
                ["publishDiagnostics"] = new JsonObject { ["relatedInformation"] = true, ["codeDescriptionSupport"] = true },
                ["codeAction"] = new JsonObject
                {
                    ["dynamicRegistration"] = true,
                    ["codeActionLiteralSupport"] = new JsonObject
                    {
                        ["codeActionKind"] = new JsonObject { ["valueSet"] = new JsonArray("", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source") },
                    },
                    ["resolveSupport"] = new JsonObject { ["properties"] = new JsonArray("edit") },
                },
            },
        },
    }, deadline);
    Console.WriteLine($"ok   initialized: {init?["serverInfo"]?["name"]} {init?["serverInfo"]?["version"]}");
    await lsp.NotifyAsync("initialized", new JsonObject());
    // Analyzer diagnostics are off by default in csharp-ls: turn them on (it also asks through workspace/configuration,
    // which LspClient answers the same way).
    await lsp.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = LspClient.Settings() });

    var echoUri = new Uri(echoPath).AbsoluteUri;
    await lsp.NotifyAsync("textDocument/didOpen", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = echoUri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = broken.Text },
    });

    Step("a file with close bugs: WS diagnostics at the expected ranges, with help links");
    var expected = broken.Spans.Select(s => s.ToString()).OrderBy(s => s, StringComparer.Ordinal).ToList();
    var (found, elapsed) = await PullUntil(echoUri, ws => ws.Count >= expected.Count, "the WS diagnostics of Echo.cs (" + string.Join(", ", expected) + ")");
    var actual = found.Select(d => Describe(d)).OrderBy(s => s, StringComparer.Ordinal).ToList();
    if (!actual.SequenceEqual(expected))
    {
        throw new CheckFailed("Echo.cs: expected\n  " + string.Join("\n  ", expected) + "\ngot\n  " + string.Join("\n  ", actual));
    }

    foreach (var d in found)
    {
        var code = d["code"]!.ToString();
        var href = d["codeDescription"]?["href"]?.ToString();
        var want = $"{repositoryUrl}/blob/main/docs/rules/{code}.md";
        if (href != want)
        {
            throw new CheckFailed($"{code}: help link is '{href ?? "(none)"}', expected '{want}'");
        }

        if (d["severity"]?.GetValue<int>() != 2)
        {
            throw new CheckFailed($"{code}: severity {d["severity"]}, expected 2 (Warning)");
        }

        Console.WriteLine($"ok   {Describe(d)}  {href}  \"{d["message"]}\"");
    }

    Console.WriteLine($"ok   {found.Count} WS diagnostics, {elapsed.TotalSeconds:F1} s after didOpen (project load included)");

    Step("code actions at each WS diagnostic");
    // The titles of the package's fixes for these three rules (src/CodeFixes).
    string[] ourFixes = ["Acknowledge the peer's close with CloseOutputAsync", "Await the work before the request ends", "Await SendAsync"];
    foreach (var d in found)
    {
        var titles = await CodeActionTitles(echoUri, d);
        Console.WriteLine($"     at {Describe(d)}: " + (titles.Count == 0 ? "none" : string.Join(" | ", titles)));
        var ours = titles.Intersect(ourFixes).ToList();
        if (ours.Count > 0)
        {
            throw new CheckFailed("csharp-ls now offers the package's code fix (" + string.Join(", ", ours) + "): README.md and editor/README.md say it does not; correct them");
        }
    }

    Console.WriteLine("ok   none of the package's fixes (" + string.Join(", ", ourFixes.Select(f => $"\"{f}\"")) + ") is offered");

    Step("didChange to the fixed text: the WS diagnostics disappear");
    var fixedText = Markup.Parse(Sources.Fixed).Text;
    await lsp.NotifyAsync("textDocument/didChange", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = echoUri, ["version"] = 2 },
        ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = fixedText }),
    });
    (found, elapsed) = await PullUntil(echoUri, ws => ws.Count == 0, "no WS diagnostic in the fixed Echo.cs");
    Console.WriteLine($"ok   none left, {elapsed.TotalSeconds:F1} s after didChange");

    Step("a correct file: analysed, and no WS diagnostic");
    var correctUri = new Uri(correctPath).AbsoluteUri;
    await lsp.NotifyAsync("textDocument/didOpen", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = correctUri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = correct.Text },
    });
    // The file carries one deliberate compiler warning (CS0219): seeing it proves the answer is the analysed file.
    var all = await PullAllUntil(correctUri, ds => ds.Any(d => d["code"]?.ToString() == "CS0219"), "CS0219 in Correct.cs (proof that it was analysed)");
    var stray = all.Where(IsWs).Select(d => Describe(d)).ToList();
    if (stray.Count > 0)
    {
        throw new CheckFailed("Correct.cs: expected no WS diagnostic, got " + string.Join(", ", stray));
    }

    Console.WriteLine($"ok   Correct.cs: {all.Count} diagnostic(s), none from WsAnalyzers ({string.Join(", ", all.Select(d => d["code"]))})");

    // The control for the code-action finding above: a compiler diagnostic does get Roslyn's own fix.
    var cs0219 = all.First(d => d["code"]?.ToString() == "CS0219");
    var controlTitles = await CodeActionTitles(correctUri, cs0219);
    Console.WriteLine($"     at {Describe(cs0219)}: " + (controlTitles.Count == 0 ? "none" : string.Join(" | ", controlTitles)));
    if (!controlTitles.Contains("Remove unused variable"))
    {
        throw new CheckFailed("control: csharp-ls offered no 'Remove unused variable' fix for CS0219, so the code-action finding above proves nothing");
    }

    Console.WriteLine("ok   control: Roslyn's own fix for a compiler diagnostic is offered, so code actions with diagnostics do work");
}

async Task<List<string>> CodeActionTitles(string uri, JsonNode diagnostic)
{
    var actions = await lsp.RequestAsync("textDocument/codeAction", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri },
        ["range"] = diagnostic["range"]!.DeepClone(),
        ["context"] = new JsonObject { ["diagnostics"] = new JsonArray(diagnostic.DeepClone()), ["triggerKind"] = 1 },
    }, deadline);
    return (actions as JsonArray ?? new JsonArray()).Select(a => a?["title"]?.ToString() ?? "?").ToList();
}

async Task<(List<JsonNode> Ws, TimeSpan Elapsed)> PullUntil(string uri, Func<List<JsonNode>, bool> done, string what)
{
    var watch = Stopwatch.StartNew();
    var all = await PullAllUntil(uri, ds => done(ds.Where(IsWs).ToList()), what);
    return (all.Where(IsWs).ToList(), watch.Elapsed);
}

async Task<List<JsonNode>> PullAllUntil(string uri, Func<List<JsonNode>, bool> done, string what)
{
    List<JsonNode> last = [];
    while (true)
    {
        var report = await lsp.RequestAsync("textDocument/diagnostic", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri },
        }, deadline);
        last = (report?["items"] as JsonArray ?? new JsonArray()).Where(d => d is not null).Select(d => d!).ToList();
        if (done(last))
        {
            return last;
        }

        if (DateTime.UtcNow > deadline)
        {
            throw new CheckFailed($"timed out ({timeout.TotalSeconds:F0} s) waiting for {what}; last answer: " +
                (last.Count == 0 ? "no diagnostics" : string.Join(", ", last.Select(d => Describe(d)))));
        }

        await Task.Delay(500);
    }
}

static bool IsWs(JsonNode d) => d["code"]?.ToString().StartsWith("WS", StringComparison.Ordinal) == true;

static string Describe(JsonNode d)
{
    var r = d["range"]!;
    return $"{d["code"]} {r["start"]!["line"]}:{r["start"]!["character"]}-{r["end"]!["line"]}:{r["end"]!["character"]}";
}

static void Step(string text) => Console.WriteLine("-- " + text);

static void Fail(string message)
{
    Console.Error.WriteLine("FAIL " + message);
    Environment.Exit(1);
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i].TrimStart('-')] = args[i + 1];
    }

    return result;
}

static string Required(Dictionary<string, string> options, string name)
    => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"missing --{name} (see the usage at the top of editor/LspCheck.cs)");

static (int Code, string Output) Run(string file, string arguments, string directory, TimeSpan limit)
{
    var info = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    using var process = Process.Start(info)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    if (!process.WaitForExit(limit))
    {
        process.Kill(entireProcessTree: true);
        return (-1, $"{file} {arguments}: no exit after {limit.TotalSeconds:F0} s");
    }

    return (process.ExitCode, stdout.Result + stderr.Result);
}

sealed class CheckFailed(string message) : Exception(message);

/// <summary>The documents. <c>{|ID:text|}</c> (or <c>{|ID1,ID2:text|}</c>) marks where diagnostics are expected; the markers are not part of the file.</summary>
static class Sources
{
    public const string Broken = """
        using System.Net.WebSockets;

        namespace EditorCheck;

        public static class Echo
        {
            public static async Task Run(HttpContext context)
            {
                using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                    if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})
                    {
                        break;
                    }

                    _ = {|WS1008,WS1009:webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted)|};
                }
            }
        }

        """;

    // What the WS1002 and WS1009 code fixes produce (awaiting the send also ends WS1008).
    public const string Fixed = """
        using System.Net.WebSockets;

        namespace EditorCheck;

        public static class Echo
        {
            public static async Task Run(HttpContext context)
            {
                using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (webSocket.State == WebSocketState.CloseReceived)
                        {
                            await webSocket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, context.RequestAborted);
                        }

                        break;
                    }

                    await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
                }
            }
        }

        """;

    public const string Correct = """
        using System.Net.WebSockets;

        namespace EditorCheck;

        public static class Correct
        {
            public static async Task Run(HttpContext context)
            {
                var unused = 0; // CS0219, on purpose: proves the file was analysed
                using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                while (!result.CloseStatus.HasValue)
                {
                    await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
                    result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                }

                await webSocket.CloseAsync(result.CloseStatus.Value, result.CloseStatusDescription, context.RequestAborted);
            }
        }

        """;
}

sealed record Span(string Id, int StartLine, int StartChar, int EndLine, int EndChar)
{
    public override string ToString() => $"{Id} {StartLine}:{StartChar}-{EndLine}:{EndChar}";
}

sealed record Markup(string Text, List<Span> Spans)
{
    public static Markup Parse(string source)
    {
        var text = new StringBuilder();
        var spans = new List<Span>();
        int line = 0, character = 0, i = 0;
        (string Id, int Line, int Char)? open = null;
        while (i < source.Length)
        {
            if (source.AsSpan(i).StartsWith("{|"))
            {
                var colon = source.IndexOf(':', i);
                open = (source[(i + 2)..colon], line, character);
                i = colon + 1;
                continue;
            }

            if (open is { } o && source.AsSpan(i).StartsWith("|}"))
            {
                spans.AddRange(o.Id.Split(',').Select(id => new Span(id, o.Line, o.Char, line, character)));
                open = null;
                i += 2;
                continue;
            }

            var c = source[i++];
            text.Append(c);
            if (c == '\n')
            {
                line++;
                character = 0;
            }
            else
            {
                character++;
            }
        }

        return new Markup(text.ToString(), spans);
    }
}

/// <summary>A minimal LSP client: Content-Length framing, requests with timeouts, answers to the server's requests.</summary>
sealed class LspClient : IAsyncDisposable
{
    private readonly Process process;
    private readonly Stream input;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentQueue<string> stderr = new();
    private readonly StreamWriter stderrLog;
    private int nextId;

    private LspClient(Process process, string stderrLogPath)
    {
        this.process = process;
        input = process.StandardInput.BaseStream;
        stderrLog = new StreamWriter(stderrLogPath) { AutoFlush = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            stderr.Enqueue(e.Data);
            while (stderr.Count > 200 && stderr.TryDequeue(out string? _))
            {
            }

            lock (stderrLog)
            {
                stderrLog.WriteLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        _ = Task.Run(ReadLoop);
    }

    public static JsonObject Settings() => new() { ["csharp"] = new JsonObject { ["analyzersEnabled"] = true } };

    public static LspClient Start(string server, string directory, string stderrLogPath)
    {
        var info = new ProcessStartInfo(server)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info) ?? throw new CheckFailed("could not start " + server);
        Console.WriteLine($"ok   started {server} (pid {process.Id}); its log: {stderrLogPath}");
        return new LspClient(process, stderrLogPath);
    }

    public int ProcessId => process.Id;

    public string StderrTail(int lines) => string.Join("\n", stderr.TakeLast(lines));

    public async Task<JsonNode?> RequestAsync(string method, JsonNode? @params, DateTime deadline)
    {
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (@params is not null)
        {
            message["params"] = @params;
        }

        await SendAsync(message);
        var left = deadline - DateTime.UtcNow;
        if (left < TimeSpan.FromSeconds(5))
        {
            left = TimeSpan.FromSeconds(5);
        }

        var finished = await Task.WhenAny(answer.Task, Task.Delay(left));
        pending.TryRemove(id, out _);
        if (finished != answer.Task)
        {
            throw new CheckFailed($"no answer to {method} within {left.TotalSeconds:F0} s" + (process.HasExited ? $" (csharp-ls exited with {process.ExitCode})" : ""));
        }

        return await answer.Task;
    }

    public Task NotifyAsync(string method, JsonNode? @params)
    {
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method };
        if (@params is not null)
        {
            message["params"] = @params;
        }

        return SendAsync(message);
    }

    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            await RequestAsync("shutdown", null, DateTime.UtcNow + TimeSpan.FromSeconds(10));
            await NotifyAsync("exit", null);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(wait.Token);
            Console.WriteLine($"ok   csharp-ls stopped (exit code {process.ExitCode})");
        }
        catch (Exception e) when (e is CheckFailed or OperationCanceledException or IOException)
        {
            Console.WriteLine($"     csharp-ls did not stop by itself ({e.Message}): killing pid {process.Id}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        lock (stderrLog)
        {
            stderrLog.Dispose();
        }
    }

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await writeLock.WaitAsync();
        try
        {
            await input.WriteAsync(header);
            await input.WriteAsync(body);
            await input.FlushAsync();
        }
        catch (IOException e)
        {
            throw new CheckFailed($"writing to csharp-ls failed ({e.Message})" + (process.HasExited ? $"; it exited with {process.ExitCode}" : ""));
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task ReadLoop()
    {
        var output = process.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                var length = -1;
                string? line;
                while ((line = await ReadHeaderLine(output)) is { Length: > 0 })
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line["Content-Length:".Length..].Trim());
                    }
                }

                if (line is null || length < 0)
                {
                    return;
                }

                var body = new byte[length];
                await output.ReadExactlyAsync(body);
                Handle(JsonNode.Parse(body)!);
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
        {
        }
        finally
        {
            foreach (var waiting in pending.Values)
            {
                waiting.TrySetException(new CheckFailed("csharp-ls closed its output"));
            }
        }
    }

    private void Handle(JsonNode message)
    {
        var method = message["method"]?.ToString();
        var id = message["id"];
        if (method is null && id is not null)
        {
            if (pending.TryGetValue(id.GetValue<int>(), out var answer))
            {
                if (message["error"] is { } error)
                {
                    answer.TrySetException(new CheckFailed("csharp-ls answered with an error: " + error.ToJsonString()));
                }
                else
                {
                    answer.TrySetResult(message["result"]);
                }
            }

            return;
        }

        if (method is not null && id is not null)
        {
            // A request from the server: configuration gets the analyzer switch; registrations and progress are accepted.
            JsonNode? result = null;
            if (method == "workspace/configuration")
            {
                var items = message["params"]?["items"] as JsonArray ?? new JsonArray();
                result = new JsonArray(items.Select(item => (JsonNode?)(item?["section"]?.ToString() == "csharp"
                    ? Settings()["csharp"]!.DeepClone()
                    : Settings())).ToArray());
            }

            _ = SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = result });
        }
    }

    private static async Task<string?> ReadHeaderLine(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }
}
