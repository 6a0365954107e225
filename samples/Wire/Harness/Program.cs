// Wire harness: starts each wire sample as written and as repaired by `dotnet format analyzers` (run.sh prepares
// both), drives it with ClientWebSocket and headless Chromium, prints the table and fails on any unexpected cell.
// Usage: Harness --work <dir made by run.sh> --chromium <path> [--pidfile <file>] [--table <file.md>]
using System.Text;
using System.Text.RegularExpressions;
using Wire;

var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

if (!options.TryGetValue("work", out var work) || !options.TryGetValue("chromium", out var chromiumPath))
{
    Console.Error.WriteLine("usage: Harness --work <dir> --chromium <path> [--pidfile <file>] [--table <file.md>]");
    return 2;
}

ChildProcess.PidFile = options.GetValueOrDefault("pidfile");
Row[] rows =
[
    new("Close ignored (WS1001)", "IgnoredClose", "repaired", 4000),
    new("`break` on Close, no acknowledgement (WS1002)", "BreakOnClose", "repaired", 4000),
    new("`while (State == Open)`, nothing after (WS1002)", "WhileOpen", "repaired", 4000),
    new("close helper guarded by `State == Open` (WS1002 + WS1004)", "GuardedClose", "repaired", 4000),
    new("same helper, WS1004 fix alone", "GuardedClose", "repaired-ws1004", 1000),
    new("server endpoint disposes its open socket (WS1010)", "ServerLeaves", "repaired", 1000, Listen: true),
    new("control: correct server", "Control", "repaired", 4000, BrokenIsClean: true),
];

// The client side of WS1010: the sample is the client, a correct Kestrel server (samples/Wire/Observer) reports
// what its ReceiveAsync saw.
Row clientLeaves = new("client disposes its open socket (WS1010)", "ClientLeaves", "repaired", 1000);
var cells = 0;
// A message sent in fragments: the broken server answers each piece, the repaired one the whole message. Both close cleanly.
FragmentRow[] fragmentRows =
[
    new("message sent in 2 fragments, each piece decoded (WS1005)", "Fragments", ["got: hel", "got: lo", "got: end"], ["got: hello", "got: end"]),
    new("control: correct server (echoes each piece with its EndOfMessage)", "Control", ["hello", "end"], ["hello", "end"]),
];

var results = new Dictionary<string, (Outcome Dotnet, Outcome Browser)>();
var failures = new List<string>();
var table = new StringBuilder();
table.AppendLine("| Bug shape | Client | Broken, as written | Repaired by `dotnet format` | Time to clean close |");
table.AppendLine("|---|---|---|---|---|");
using var page = PageServer.Start(Chromium.Page);
await using (var chromium = await Chromium.StartAsync(chromiumPath, work))
{
    foreach (var row in rows)
    {
        var broken = await RunServer(chromium, Path.Combine(work, "broken", row.Project), row.Project, row.Listen);
        var repaired = await RunServer(chromium, Path.Combine(work, row.RepairedVariant, row.Project), row.Project, row.Listen);
        foreach (var (client, pick) in new (string, Func<(Outcome Dotnet, Outcome Browser), Outcome>)[] { ("ClientWebSocket", r => r.Dotnet), ("Chromium", r => r.Browser) })
        {
            var b = pick(broken);
            var r = pick(repaired);
            var brokenCell = Check(row, client, "broken", b, row.BrokenIsClean ? 4000 : null);
            var repairedCell = Check(row, client, "repaired", r, row.RepairedCode);
            var time = r.Completed ? $"{r.Milliseconds:0} ms" : "never";
            table.AppendLine($"| {row.Shape} | {client} | {brokenCell} | {repairedCell} | {time} |");
            cells += 2;
        }
    }
}

{
    var observer = "Kestrel server's ReceiveAsync (ClientWebSocket client)";
    var broken = await RunClient(Path.Combine(work, "broken", clientLeaves.Project), clientLeaves.Project);
    var repaired = await RunClient(Path.Combine(work, clientLeaves.RepairedVariant, clientLeaves.Project), clientLeaves.Project);
    var brokenCell = Check(clientLeaves, observer, "broken", broken, null);
    var repairedCell = Check(clientLeaves, observer, "repaired", repaired, clientLeaves.RepairedCode);
    table.AppendLine($"| {clientLeaves.Shape} | {observer} | {brokenCell} | {repairedCell} | {(repaired.Completed ? $"{repaired.Milliseconds:0} ms" : "never")} |");
    cells += 2;
}

foreach (var row in fragmentRows)
{
    var broken = await RunFragments(Path.Combine(work, "broken", row.Project), row.Project);
    var repaired = await RunFragments(Path.Combine(work, "repaired", row.Project), row.Project);
    var time = repaired.Close.Completed ? $"{repaired.Close.Milliseconds:0} ms" : "never";
    table.AppendLine($"| {row.Shape} | ClientWebSocket | {CheckReplies(row, "broken", broken, row.Broken)} | {CheckReplies(row, "repaired", repaired, row.Repaired)} | {time} |");
    cells += 2;
}

Console.WriteLine();
Console.Write(table);
if (options.TryGetValue("table", out var tableFile))
{
    File.WriteAllText(tableFile, table.ToString());
}

Console.WriteLine();
foreach (var failure in failures)
{
    Console.WriteLine("FAIL " + failure);
}

Console.WriteLine(failures.Count == 0 ? $"wire: all {cells} cells as expected" : $"wire: {failures.Count} unexpected cell(s)");
return failures.Count == 0 ? 0 : 1;

// Starts the built sample on a free loopback port (Kestrel picks it: port 0), runs both clients, stops it by PID.
async Task<(Outcome Dotnet, Outcome Browser)> RunServer(Chromium chromium, string directory, string project, bool listen)
{
    if (results.TryGetValue(directory, out var cached))
    {
        return cached;
    }

    return results[directory] = await WithServer(directory, project, async (server, port) =>
    {
        Outcome dotnet, browser;
        try
        {
            dotnet = listen ? await DotnetClient.ListenAsync(port) : await DotnetClient.RunAsync(port);
        }
        catch (Exception e)
        {
            dotnet = new Outcome(false, null, $"client failed before the close: {e.GetType().Name}: {e.Message}", 0);
        }

        try
        {
            browser = await chromium.RunAsync(page.Address, port, listen);
        }
        catch (Exception e)
        {
            browser = new Outcome(false, null, $"browser run failed: {e.GetType().Name}: {e.Message}", 0);
        }

        Report(server, directory, project, port, $"ClientWebSocket: {dotnet}  Chromium: {browser}", dotnet.Completed && browser.Completed);
        return (dotnet, browser);
    });
}

// The fragment rows: only ClientWebSocket, since a page's WebSocket cannot send a message in fragments.
async Task<Replies> RunFragments(string directory, string project)
    => await WithServer(directory, project, async (server, port) =>
    {
        Replies replies;
        try
        {
            replies = await FragmentClient.RunAsync(port);
        }
        catch (Exception e)
        {
            replies = new Replies([], new Outcome(false, null, $"client failed before the close: {e.GetType().Name}: {e.Message}", 0));
        }

        Report(server, directory, project, port, $"ClientWebSocket: {replies}", replies.Close.Completed);
        return replies;
    });

async Task<T> WithServer<T>(string directory, string project, Func<ChildProcess, int, Task<T>> drive)
{
    var dll = Path.Combine(directory, "bin", "Debug", "net10.0", project + ".dll");
    var listening = new Regex(@"Now listening on: http://127\.0\.0\.1:(\d+)");
    var (server, ready) = await ChildProcess.StartAsync(project, "dotnet", [dll, "0"], listening, TimeSpan.FromSeconds(60));
    using (server)
    {
        return await drive(server, int.Parse(ready.Groups[1].Value));
    }
}

void Report(ChildProcess server, string directory, string project, int port, string outcomes, bool clean)
{
    var variant = Path.GetFileName(Path.GetDirectoryName(directory));
    Console.WriteLine($"{variant,-16} {project,-13} port {port,5} pid {server.Id,7}  {outcomes}");
    if (!clean)
    {
        // Keep the server's own account (e.g. the InvalidState it threw) next to the outcome.
        var log = server.Tail(6).Replace("\n", "\n      | ");
        Console.WriteLine("      | " + log);
    }
}

// Starts the observer server, runs the built client sample against it (it exits by itself), and reads the observer's
// account: a Close received and answered is clean, with its code; a failed receive is not.
async Task<Outcome> RunClient(string directory, string project)
{
    var observerDll = Path.Combine(work, "observer", "Observer.dll");
    var listening = new Regex(@"Now listening on: http://127\.0\.0\.1:(\d+)");
    var (server, ready) = await ChildProcess.StartAsync("Observer", "dotnet", [observerDll, "0"], listening, TimeSpan.FromSeconds(60));
    using (server)
    {
        var port = ready.Groups[1].Value;
        var seen = server.LineCount;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var dll = Path.Combine(directory, "bin", "Debug", "net10.0", project + ".dll");
        var (client, _) = await ChildProcess.StartAsync(project, "dotnet", [dll, port], new Regex("^client: "), TimeSpan.FromSeconds(30));
        using (client)
        {
            var exited = client.WaitForExit(TimeSpan.FromSeconds(20));
            var observed = await server.WaitForLineAsync(new Regex(@"^observed: (.*)$"), seen, TimeSpan.FromSeconds(10));
            var ms = clock.Elapsed.TotalMilliseconds;
            var variant = Path.GetFileName(Path.GetDirectoryName(directory));
            Console.WriteLine($"{variant,-16} {project,-13} port {port,5} client exited: {exited}  observer: {observed?.Groups[1].Value ?? "nothing"}");
            if (observed is null)
            {
                return new Outcome(false, null, "the server saw nothing within 10 s", ms);
            }

            var text = observed.Groups[1].Value;
            var close = Regex.Match(text, @"^Close (\d+) received and answered");
            return close.Success
                ? new Outcome(true, int.Parse(close.Groups[1].Value), text, ms)
                : new Outcome(false, null, text, ms);
        }
    }
}

// A clean cell closes with the expected code (ClientWebSocket: CloseAsync completes and the server's status is that
// code; Chromium: wasClean true and that code). An unclean cell must not complete; in Chromium it must be 1006.
string Check(Row row, string client, string variant, Outcome outcome, int? cleanCode)
{
    bool ok = cleanCode is { } code
        ? outcome.Completed && outcome.Code == code
        : !outcome.Completed && (client != "Chromium" || outcome.Code == 1006);
    if (ok)
    {
        return outcome.ToString();
    }

    var expected = cleanCode is { } c ? $"a clean close with {c}" : client == "Chromium" ? "1006, wasClean false" : "no completed close";
    failures.Add($"{row.Shape} / {client} / {variant}: expected {expected}, got {outcome}");
    return $"**FAIL** {outcome} (expected {expected})";
}

// A fragment cell holds exactly the expected replies, in order, and a clean close with 4000.
string CheckReplies(FragmentRow row, string variant, Replies replies, string[] expected)
{
    if (replies.Messages.SequenceEqual(expected) && replies.Close.Completed && replies.Close.Code == 4000)
    {
        return replies.ToString();
    }

    var want = $"{string.Join(", ", expected.Select(m => $"\"{m}\""))}, then a clean close with 4000";
    failures.Add($"{row.Shape} / ClientWebSocket / {variant}: expected {want}, got {replies}");
    return $"**FAIL** {replies} (expected {want})";
}

sealed record FragmentRow(string Shape, string Project, string[] Broken, string[] Repaired);

sealed record Row(string Shape, string Project, string RepairedVariant, int RepairedCode, bool BrokenIsClean = false, bool Listen = false);
