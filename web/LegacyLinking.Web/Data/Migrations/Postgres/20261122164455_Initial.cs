using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "flag_audit",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Flag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OldValue = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    NewValue = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flag_audit", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "flag_overrides",
                columns: table => new
                {
                    Flag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flag_overrides", x => x.Flag);
                });

            migrationBuilder.CreateTable(
                name: "flow_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Operation = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Flow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: true),
                    ErrorCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DurationMs = table.Column<double>(type: "double precision", nullable: false),
                    UserId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Shadow = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    TraceId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "flow_rollups",
                columns: table => new
                {
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Operation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Flow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ErrorCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Shadow = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    SumMs = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_rollups", x => new { x.Hour, x.Operation, x.Flow, x.Outcome, x.ErrorCode, x.Shadow });
                });

            migrationBuilder.CreateTable(
                name: "flow_user_days",
                columns: table => new
                {
                    Day = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Operation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Flow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_user_days", x => new { x.Day, x.Operation, x.Flow, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "ingestion_checkpoints",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ingestion_checkpoints", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "latency_rollups",
                columns: table => new
                {
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Operation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Flow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Bucket = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_latency_rollups", x => new { x.Hour, x.Operation, x.Flow, x.Bucket });
                });

            migrationBuilder.CreateTable(
                name: "tenant_log_events",
                columns: table => new
                {
                    LogId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Date = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Feature = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Description = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    ClientId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    UserId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_log_events", x => x.LogId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_flag_audit_At",
                table: "flag_audit",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_flow_events_At",
                table: "flow_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_flow_events_Operation_Flow_At",
                table: "flow_events",
                columns: new[] { "Operation", "Flow", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_flow_events_UserId_At",
                table: "flow_events",
                columns: new[] { "UserId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_tenant_log_events_Type_Date",
                table: "tenant_log_events",
                columns: new[] { "Type", "Date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "flag_audit");

            migrationBuilder.DropTable(
                name: "flag_overrides");

            migrationBuilder.DropTable(
                name: "flow_events");

            migrationBuilder.DropTable(
                name: "flow_rollups");

            migrationBuilder.DropTable(
                name: "flow_user_days");

            migrationBuilder.DropTable(
                name: "ingestion_checkpoints");

            migrationBuilder.DropTable(
                name: "latency_rollups");

            migrationBuilder.DropTable(
                name: "tenant_log_events");
        }
    }
}
