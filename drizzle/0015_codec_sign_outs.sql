CREATE TABLE "codec_sign_outs" (
	"actor" text PRIMARY KEY NOT NULL,
	"signed_out_at" timestamp with time zone NOT NULL
);
